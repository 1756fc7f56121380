using Journeys.Orleans.Catalog;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Engine;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Telemetry;
using Journeys.Orleans.Telemetry.History;
using Journeys.Orleans.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;

namespace Journeys.Orleans.Grains;

/// <summary>
/// The per-user grain. For each call: update the profile, move the user through the published journeys, commit the
/// state together with what the resulting transitions mean for destinations and the space's index (one commit, see
/// <see cref="IUserStore"/>), then tell the connected destinations' partition grains, so order holds per user.
/// A user is activated on the silo that first calls it (its events' ingestion): no cross-silo hop for the events that
/// follow on that silo, and no placement decision to compute for each of the many short-lived activations.
/// </summary>
[GrainType("user")]
[PreferLocalPlacement]
public sealed class UserGrain(
    IUserStore store,
    PublishedCatalogs catalogs,
    JourneysMetrics metrics,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain, IProfileHandOverGrain, IRemindable
{
    private const int RecentMessageIdsKept = 100;
    private const int RefusedMergesKept = 20;
    private const string ResumeReminder = "resume";

    // Destinations whose outbox entries may have been told before (restored at activation, or a hand-off that failed):
    // they are told to read what is still unsent rather than given the payloads again.
    private readonly HashSet<string> _resume = new(StringComparer.Ordinal);
    private UserState _state = new();
    private PublishedCatalog? _catalog;
    private IGrainTimer? _redeliveryTimer;
    private bool _resumeReminderRegistered;
    private bool _changedSinceWrite;
    private bool _aheadOfStore;
    private string? _etag;
    private string _spaceId = "";
    private string _userKey = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        _spaceId = key[..slash];
        _userKey = key[(slash + 1)..];
        (_state, _etag) = await store.ReadAsync(this.GetGrainId());

        // Transitions written before a crash or deactivation are handed over again, with their same message ids.
        if (!HasUndelivered) return;
        _resume.UnionWith(_state.Outbox.Select(d => d.Connection.DestinationId));
        await DeliverOutboxAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A call that failed to commit left the activation ahead of the store: that state is dropped, never written.
        // Users kept only in memory are not written when the silo stops: nothing there outlives it.
        if (!_changedSinceWrite || _aheadOfStore) return;
        if (!store.WritesOnCommit && reason.ReasonCode == DeactivationReasonCode.ShuttingDown) return;
        try
        {
            _etag = await store.FlushAsync(this.GetGrainId(), _state, _etag);
        }
        catch (Exception ex)
        {
            // Only costs a redelivery of already delivered transitions, with their same message ids.
            logger.FlushFailed(_userKey, ex.Message);
        }
    }

    public async Task TrackAsync(TrackEvent trackEvent)
    {
        InputRules.Check(trackEvent);
        if (await StartAsync(trackEvent.SpaceId, trackEvent.UserId, trackEvent.AnonymousId, trackEvent.MessageId) is not var (catalog, now, merged)) return;
        JourneyEngine.ApplyTrack(_state, trackEvent, now, catalog);
        await ProgressAsync(catalog, now, trackEvent, messageId: trackEvent.MessageId, merged: merged);
    }

    public async Task IdentifyAsync(IdentifyEvent identifyEvent)
    {
        InputRules.Check(identifyEvent);
        if (await StartAsync(identifyEvent.SpaceId, identifyEvent.UserId, identifyEvent.AnonymousId, identifyEvent.MessageId) is not var (catalog, now, merged)) return;
        var changedTraits = IdentifierRefresh.ChangedBy(_state, identifyEvent);
        JourneyEngine.ApplyIdentify(_state, identifyEvent);
        await ProgressAsync(catalog, now, messageId: identifyEvent.MessageId, changedTraits: changedTraits, merged: merged);
    }

    /// <summary>
    /// What every call of the user's does first. Null when the call is done already: it was taken before, or the profile
    /// absorbed now had taken it (a retry sent on to here), and then only the merge is committed. Everything that can
    /// fail before the state is changed happens here: a call that fails changes nothing.
    /// </summary>
    private async ValueTask<(PublishedCatalog Catalog, DateTimeOffset Now, IReadOnlyList<TransitionDelivery>? Merged)?> StartAsync(
        string spaceId, string? userId, string? anonymousId, string? messageId)
    {
        var forMerged = CheckBelongsHere(spaceId, userId, anonymousId);
        if (_state.HasSeen(messageId)) return null;
        var catalog = await GetCatalogAsync();
        var now = clock.GetUtcNow();
        var merged = await AbsorbAsync(anonymousId, forMerged, catalog, now);
        if (merged is not null && _state.HasSeen(messageId))
        {
            await ProgressAsync(catalog, now, merged: merged);
            return null;
        }
        _state.Remember(messageId, RecentMessageIdsKept);
        return (catalog, now, merged);
    }

    public async Task AliasAsync(AliasEvent aliasEvent)
    {
        InputRules.Check(aliasEvent);
        CheckBelongsHere(aliasEvent.SpaceId, aliasEvent.UserId, null);
        if (aliasEvent.PreviousId == aliasEvent.UserId || _state.HasSeen(aliasEvent.MessageId)) return;

        var catalog = await GetCatalogAsync();
        var now = clock.GetUtcNow();
        var merged = await AbsorbAsync(aliasEvent.PreviousId, forMerged: false, catalog, now);
        _state.Remember(aliasEvent.MessageId, RecentMessageIdsKept);
        _state.UserId ??= aliasEvent.UserId;
        await ProgressAsync(catalog, now, messageId: aliasEvent.MessageId, merged: merged);
    }

    public async Task<ProfileHandOver> HandOverAsync(string intoUserKey, bool claim)
    {
        if (_state.MergedInto is { } owner) return owner == intoUserKey ? ProfileHandOver.Of(_state) : ProfileHandOver.Refused(owner);
        // Only anonymous profiles are merged away: two identified users are never joined.
        if (!claim || !GrainKeys.IsAnonymous(_userKey)) return ProfileHandOver.Refused(_userKey);

        var catalog = await GetCatalogAsync();
        var outboxBefore = _state.Outbox.Count;
        _state.MergedInto = intoUserKey;
        _state.Outbox.AddRange(ProfileMerge.Departures(_state, catalog, _spaceId, _userKey, clock.GetUtcNow()));
        var added = UserChanges.Of(_userKey, _state.Outbox.Skip(outboxBefore).ToList(), _state.Traits);
        // Durable before it is answered: a crash after this hands the same state over again when the user asks again.
        await CommitAsync(catalog, added, messageId: null, scheduleWakeUp: false);
        await DeliverOutboxAsync(outboxBefore == 0 ? added : null);
        return ProfileHandOver.Of(_state);
    }

    public async Task WakeAsync()
    {
        if (_state.MergedInto is not null) return;
        var catalog = await GetCatalogAsync();
        var now = clock.GetUtcNow();
        if (_state.ScheduledWakeAt is { } scheduled && scheduled <= now) _state.ScheduledWakeAt = null;
        await ProgressAsync(catalog, now);
    }

    public async Task<bool> BackfillAsync(string journeyId)
    {
        if (_state.MergedInto is not null) return false;
        var catalog = await GetCatalogAsync();
        if (catalog.Journeys.All(j => j.Id != journeyId)) return false;
        var enteredBefore = _state.Journeys.TryGetValue(journeyId, out var before) ? before.Entries : 0;
        await ProgressAsync(catalog, clock.GetUtcNow(), backfillJourneyId: journeyId);
        return _state.Journeys.TryGetValue(journeyId, out var after) && after.Entries > enteredBefore;
    }

    public async Task<bool> AnnounceAsync(string journeyId, string stepId, string destinationId)
    {
        if (_state.MergedInto is not null) return false;
        var catalog = await GetCatalogAsync();
        if (Announcements.Announce(_state, catalog, _spaceId, _userKey, journeyId, stepId, destinationId) is not { } announcement) return false;
        await ProgressAsync(catalog, clock.GetUtcNow(), announcement: announcement);
        return true;
    }

    public async Task<UserView> GetAsync()
    {
        if (_state.MergedInto is { } into) throw new UserMergedException(into);
        await GetCatalogAsync();
        return UserViews.Of(_spaceId, _userKey, _state, _catalog);
    }

    public async Task<UserPath> GetPathAsync()
    {
        if (_state.MergedInto is { } into) throw new UserMergedException(into);
        var payloads = UserPaths.Payloads(_userKey, _state, await GetCatalogAsync());
        var outcomes = await UserPaths.AskAsync(GrainFactory, _userKey, payloads);
        return UserPaths.Of(_spaceId, _userKey, _state, payloads, outcomes);
    }

    private async Task ProgressAsync(
        PublishedCatalog catalog, DateTimeOffset now, TrackEvent? current = null, string? backfillJourneyId = null, string? messageId = null,
        IReadOnlySet<string>? changedTraits = null, TransitionDelivery? announcement = null, IReadOnlyList<TransitionDelivery>? merged = null)
    {
        var outboxBefore = _state.Outbox.Count;
        if (announcement is not null) _state.Outbox.Add(announcement);
        if (merged is not null) _state.Outbox.AddRange(merged);
        var stepMoves = new List<Transition>();
        var flow = new List<FlowMove>();
        JourneyEngine.Advance(_state, catalog, _userKey, now, current, stepMoves, backfillJourneyId, flow);
        foreach (var transition in stepMoves) logger.Moved(_userKey, transition.Direction, transition.StepKey);
        OutboxEntries.Add(_state, catalog, _spaceId, _userKey, stepMoves, changedTraits, now);
        _state.AddToTimeline(stepMoves, options.Value.RecentTransitionsKept);

        // Nothing is handed to a destination before it is written: a crash after this point redelivers it.
        // Usually the outbox held nothing before this call, and what it adds is also what is handed over.
        // The payloads carry this call's trace context, so their requests (sent later, from their partitions) join its trace.
        var added = UserChanges.Of(
            _userKey, outboxBefore == 0 ? _state.Outbox : _state.Outbox.Skip(outboxBefore).ToList(), _state.Traits,
            JourneysActivities.CurrentTraceParent);
        await CommitAsync(catalog, added, messageId, scheduleWakeUp: true);
        foreach (var transition in stepMoves) metrics.Transition(transition);
        foreach (var move in flow) metrics.Flow(move);
        await DeliverOutboxAsync(outboxBefore == 0 ? added : null);
    }

    /// <summary>Writes the state with <paramref name="added"/>, the changes of this call (one commit, see <see cref="IUserStore"/>).</summary>
    private async Task CommitAsync(PublishedCatalog catalog, IReadOnlyList<DestinationChanges> added, string? messageId, bool scheduleWakeUp)
    {
        try
        {
            if (scheduleWakeUp) await ScheduleWakeUpAsync(catalog);
            _etag = await store.CommitAsync(this.GetGrainId(), _state, _etag, added);
        }
        catch when (!store.WritesOnCommit)
        {
            // Kept only in this activation, the state also holds every earlier call, acknowledged: it stays. The call
            // fails, and its message id is forgotten so that a retry is applied (and schedules its wake-up) rather than
            // dropped as a duplicate.
            if (!string.IsNullOrEmpty(messageId)) _state.RecentMessageIds.Remove(messageId);
            throw;
        }
        catch
        {
            // The in-memory state is ahead of what is stored: start again from the stored state.
            _aheadOfStore = true;
            DeactivateOnIdle();
            throw;
        }
        _changedSinceWrite = !store.WritesOnCommit;
    }

    /// <summary>
    /// An identified user's call that carries an anonymous id not absorbed yet: the anonymous profile is handed over and
    /// absorbed (<see cref="ProfileMerge"/>), once; returns what the merge tells destinations, committed with the call.
    /// A profile that belongs to another user is refused and noted. <paramref name="forMerged"/>: the call came for the
    /// anonymous id itself, sent on by that merged profile; it is refused if the profile is not this user's.
    /// </summary>
    private async Task<IReadOnlyList<TransitionDelivery>?> AbsorbAsync(string? anonymousId, bool forMerged, PublishedCatalog catalog, DateTimeOffset now)
    {
        if (anonymousId is null || !GrainKeys.IsIdentified(_userKey) || _state.MergedAnonymousIds.Contains(anonymousId)) return null;
        if (_state.RefusedMerges.Any(r => r.AnonymousId == anonymousId)) return forMerged ? throw NotHere(anonymousId) : null;

        var fromKey = GrainKeys.UserKey(null, anonymousId);
        var handOver = await GrainFactory.Get<IProfileHandOverGrain>(GrainKeys.User(_spaceId, fromKey)).HandOverAsync(_userKey, claim: !forMerged);
        if (handOver.State is not { } from)
        {
            logger.MergeRefused(_userKey, fromKey, handOver.OwnerUserKey ?? "");
            if (forMerged) throw NotHere(anonymousId);
            _state.RefusedMerges.Add(new RefusedMerge(anonymousId, handOver.OwnerUserKey ?? "", now));
            if (_state.RefusedMerges.Count > RefusedMergesKept) _state.RefusedMerges.RemoveAt(0);
            return null;
        }
        logger.Merged(_userKey, fromKey);
        return ProfileMerge.Absorb(_state, from, anonymousId, catalog, _spaceId, _userKey, fromKey, now,
            options.Value.RecentTransitionsKept, RecentMessageIdsKept);
    }

    private JourneysValidationException NotHere(string anonymousId) =>
        new("anonymousId", $"the call is for {_spaceId}/{GrainKeys.UserKey(null, anonymousId)}, not {_spaceId}/{_userKey}");

    /// <summary>
    /// A user waiting on a delay is put in the wake-up bucket of its end before the state says so, so a crash between
    /// the two can only wake the user twice (harmless), never forget them.
    /// </summary>
    private async Task ScheduleWakeUpAsync(PublishedCatalog catalog)
    {
        var wakeAt = JourneyEngine.NextWakeUp(_state, catalog);
        if (wakeAt is null || wakeAt == _state.ScheduledWakeAt) return;
        var partition = Partitioner.PartitionOf(_userKey, options.Value.WakePartitions);
        await GrainFactory.Get<IWakeSchedulerGrain>(GrainKeys.WakeBucket(_spaceId, wakeAt.Value, partition)).ScheduleAsync(_userKey);
        _state.ScheduledWakeAt = wakeAt;
    }

    private async ValueTask<PublishedCatalog> GetCatalogAsync() => _catalog = await catalogs.GetAsync(_spaceId);

    private async Task DeliverOutboxAsync(IReadOnlyList<DestinationChanges>? ofWholeOutbox = null)
    {
        var outbox = _state.Outbox;
        if (!HasUndelivered) return;

        var indexed = HandOffIndexAsync();
        var results = await Task.WhenAll((ofWholeOutbox ?? UserChanges.Of(_userKey, outbox, _state.Traits)).Select(async changes =>
        {
            var destinationId = changes.Connection.DestinationId;
            try
            {
                await store.HandOffAsync(_userKey, changes, resume: _resume.Contains(destinationId));
                return (Destination: destinationId, Delivered: true);
            }
            catch (Exception ex)
            {
                logger.HandOffFailed(ex, _userKey, changes.Deliveries.Count, destinationId, options.Value.RedeliveryDelay);
                _resume.Add(destinationId);
                return (Destination: destinationId, Delivered: false);
            }
        }));

        await indexed;
        var delivered = results.Where(r => r.Delivered).Select(r => r.Destination).ToHashSet(StringComparer.Ordinal);
        if (delivered.Count > 0)
        {
            outbox.RemoveAll(d => delivered.Contains(d.Connection.DestinationId));
            _resume.ExceptWith(delivered);
            _changedSinceWrite = true;
        }

        if (!HasUndelivered)
        {
            _redeliveryTimer?.Dispose();
            _redeliveryTimer = null;
            if (_resumeReminderRegistered) await StopResumeReminderAsync();
        }
        else
        {
            _redeliveryTimer ??= this.RegisterGrainTimer(RedeliverAsync, options.Value.RedeliveryDelay, options.Value.RedeliveryDelay);
            // The timer dies with this activation; the reminder brings the user back after a crash or restart.
            if (!_resumeReminderRegistered)
            {
                _resumeReminderRegistered = true;
                await this.RegisterOrUpdateReminder(ResumeReminder, options.Value.ResumeReminderPeriod, options.Value.ResumeReminderPeriod);
            }
        }
    }

    private bool HasUndelivered => _state.Outbox.Count > 0 || _state.IndexChanges.Count > 0;

    /// <summary>
    /// The space index's changes go after the commit like the outbox's (in order, all still pending, which is harmless
    /// to repeat); if the index cannot be told now, they wait with the outbox's redelivery.
    /// </summary>
    private async Task HandOffIndexAsync()
    {
        if (_state.IndexChanges.Count == 0) return;
        var changes = _state.IndexChanges.ToList();
        try
        {
            await store.HandOffIndexAsync(_spaceId, _userKey, changes);
            _state.IndexChanges.RemoveRange(0, changes.Count);
            // Kept only in memory, the state is written when the activation ends: without them, so they go once.
            _changedSinceWrite |= !store.WritesOnCommit;
        }
        catch (Exception ex)
        {
            logger.IndexHandOffFailed(ex, _userKey, changes.Count, options.Value.RedeliveryDelay);
        }
    }

    /// <summary>Activation alone hands the outbox over again (see <see cref="OnActivateAsync"/>).</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _resumeReminderRegistered = true;
        return HasUndelivered ? DeliverOutboxAsync() : StopResumeReminderAsync();
    }

    private async Task StopResumeReminderAsync()
    {
        _resumeReminderRegistered = false;
        var reminder = await this.GetReminder(ResumeReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    private async Task RedeliverAsync(CancellationToken cancellationToken)
    {
        await DeliverOutboxAsync();
        if (!HasUndelivered && _changedSinceWrite && store.WritesOnCommit)
        {
            _etag = await store.FlushAsync(this.GetGrainId(), _state, _etag);
            _changedSinceWrite = false;
        }
    }

    /// <summary>
    /// Throws unless the call is this profile's. A merged profile sends its calls here: one for an anonymous id alone
    /// is taken by an identified user (true), which then checks the id is one it absorbed (<see cref="AbsorbAsync"/>).
    /// </summary>
    private bool CheckBelongsHere(string spaceId, string? userId, string? anonymousId)
    {
        if (_state.MergedInto is { } into) throw new UserMergedException(into);
        var forMerged = userId is null && anonymousId is not null && GrainKeys.IsIdentified(_userKey);
        if (spaceId != _spaceId || (GrainKeys.UserKey(userId, anonymousId) != _userKey && !forMerged))
            throw new JourneysValidationException("userId", $"the call is for {spaceId}/{GrainKeys.UserKey(userId, anonymousId)}, not {_spaceId}/{_userKey}");
        return forMerged;
    }
}
