using Journeys.Orleans.Connectors;
using Journeys.Orleans.Delivery;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Persistence;
using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// One partition of an event destination. Told of payloads its users already committed (outbox rows when a database is
/// configured), it sends them through the destination's connector with many requests in flight, under Segment's rules
/// (<see cref="DeliveryPolicy"/>): per user one at a time and in order, a retrying payload holding back only its own
/// user's later ones; retries on a schedule kept with the outbox; refusals kept as dead letters until replayed.
/// While it holds unsent payloads it keeps a reminder, so that after a crash or restart it comes back by itself.
/// Its counters are kept with the outbox rows (written in the statements that change them), so they survive restarts.
/// Reentrant: all state changes happen between awaits.
/// </summary>
[GrainType("eventdelivery")]
[Reentrant]
public sealed class EventDeliveryGrain(
    IEnumerable<IEventConnector> connectors,
    EventOutboxStorage outboxStorage,
    StoredDestinations destinations,
    JourneysMetrics metrics,
    DeliveryBacklog backlog,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<EventDeliveryGrain> logger)
    : Grain, IEventDeliveryGrain, IRemindable
{
    private const string DrainReminder = "drain";

    private readonly DeliveryQueue _queue = new();
    private readonly DeadLetterShelf _deadLetters = new();
    // With an outbox: sent payloads whose rows are still to be deleted; their users send nothing more until that committed.
    private SentPayloadRows? _sent;
    private PartitionOutcomes _outcomes = null!;
    private PartitionPump _pump = null!;
    private string _destinationId = "";
    private int _partition;
    private bool _reminderRegistered;
    // While a replay writes its choice, newly handed payloads wait, so none of them gets ahead of a replayed letter
    // whose choice did not see it.
    private Task _replayWriting = Task.CompletedTask;

    private IEventOutbox? Outbox => outboxStorage.Outbox;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        _destinationId = key[..slash];
        _partition = int.Parse(key[(slash + 2)..], System.Globalization.CultureInfo.InvariantCulture);
        var destination = await destinations.ReadAsync(_destinationId);
        var settings = options.Value;
        var connector = connectors.FirstOrDefault(c => c.Kind == destination.Definition.Connector)
            ?? throw new InvalidOperationException($"No connector of kind {destination.Definition.Connector} is registered.");

        _sent = Outbox is null ? null : new SentPayloadRows(Outbox, _destinationId, _partition, Forgotten, logger);
        _outcomes = new PartitionOutcomes(
            _destinationId, _partition, _queue, _deadLetters,
            new DeliveryPolicy(settings.RetryFirstDelay, settings.RetryLongestDelay, destination.MaxRetryDuration),
            Outbox, _sent, clock, settings.RetryFirstDelay, metrics, logger);
        // The destination's in-flight limit is shared by its partitions.
        var window = Math.Max(1, (int)Math.Ceiling(settings.DeliveryInFlightLimit / (double)Math.Max(1, destination.Partitions)));
        _pump = new PartitionPump(_destinationId, _partition, destination.Definition, connector, window, _queue, _outcomes, clock, backlog, logger)
        {
            Paused = destination.Paused,
        };
        if (Outbox is null) return;
        var counters = await Outbox.LoadCountersAsync(_destinationId, _partition);
        (_outcomes.Delivered, _outcomes.Retries, _outcomes.Skipped) = (counters.Delivered, counters.Retries, counters.Skipped);
        _deadLetters.AddRange(await Outbox.LoadDeadLettersAsync(_destinationId, _partition));
        var pending = await Outbox.LoadAsync(_destinationId, _partition);
        if (pending.Count == 0) return;
        foreach (var entry in pending)
            _queue.Add(new PendingPayload(entry.Payload) { Attempts = entry.Attempts, FirstAttemptAt = entry.FirstAttemptAt, NextAttemptAt = entry.NextAttemptAt });
        // Users write the rows before this partition hears of them, so the reminder may not exist yet.
        await EnsureDrainReminderAsync();
        logger.LogInformation("Destination {DestinationId} partition {Partition} resumes {Count} unsent payloads", _destinationId, _partition, pending.Count);
        StartPump();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Requests in flight are answered first (a silo's stop deactivates every partition), so that their outcomes are
        // recorded; the deactivation's time limit bounds the wait for a receiver that does not answer.
        try
        {
            if (_pump is not null) await _pump.StopAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Destination {DestinationId} partition {Partition} stopped with requests still in flight", _destinationId, _partition);
        }

        backlog.Forget(_destinationId, _partition);
        if (_sent is null)
        {
            if (_queue.Count > 0)
                logger.LogWarning("Destination {DestinationId} partition {Partition} deactivated with {Count} payloads unsent", _destinationId, _partition, _queue.Count);
            return;
        }

        // Sent payloads whose rows are being deleted: finishing lets a graceful stop neither send them again after a
        // restart nor lose their count; if the database is away, the stop does not wait longer than it allows.
        try
        {
            await _sent.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Destination {DestinationId} partition {Partition} stopped with {Count} sent payloads not yet forgotten", _destinationId, _partition, _sent.Count);
        }

        // Unsent payloads stay in the outbox and the reminder brings the partition back for them.
        if (_queue.Count == 0 && _sent.Count == 0 && _reminderRegistered)
        {
            try
            {
                var reminder = await this.GetReminder(DrainReminder);
                if (reminder is not null) await this.UnregisterReminder(reminder);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Destination {DestinationId} partition {Partition} kept its drain reminder", _destinationId, _partition);
            }
        }
    }

    public async Task DeliverAsync(IReadOnlyList<OutgoingPayload> payloads)
    {
        // The payloads are durable already; the reminder brings this partition back for them after a crash.
        if (Outbox is not null) await EnsureDrainReminderAsync();
        await _replayWriting;
        foreach (var payload in payloads) _queue.Add(new PendingPayload(payload));
        StartPump();
    }

    public async Task ResumeUserAsync(string userKey)
    {
        if (Outbox is null) return;
        await EnsureDrainReminderAsync();
        var entries = await Outbox.LoadUserAsync(_destinationId, _partition, userKey);
        await _replayWriting;
        foreach (var entry in entries)
            _queue.Add(new PendingPayload(entry.Payload) { Attempts = entry.Attempts, FirstAttemptAt = entry.FirstAttemptAt, NextAttemptAt = entry.NextAttemptAt });
        StartPump();
    }

    public Task SetPausedAsync(bool paused)
    {
        _pump.Paused = paused;
        if (!paused) StartPump();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync() => Task.FromResult(_deadLetters.Letters);

    public Task<IReadOnlyList<PayloadOutcome>> GetOutcomesAsync(string userKey, IReadOnlyList<string> messageIds) =>
        Task.FromResult(PayloadOutcomes.Of(userKey, messageIds, _queue, _deadLetters));

    public async Task<ReplayResult> ReplayAsync(IReadOnlyList<string>? messageIds)
    {
        var chosen = _deadLetters.Claim(messageIds);
        if (chosen.Count == 0) return ReplayResult.None;
        try
        {
            if (Outbox is not null) await EnsureDrainReminderAsync();
            var currentSteps = await CurrentStepsAsync(chosen.Select(d => MembershipClaim.Read(d.Payload)).OfType<MembershipClaim>());
            // Chosen between awaits, against the users' lines as they are now; payloads handed over later wait for the write.
            var (replay, skip) = ReplayRules.Split(chosen, currentSteps, _queue);

            if (Outbox is not null)
            {
                var writing = Outbox.ReplayAsync(_destinationId, _partition, replay.Select(d => d.Payload).ToList(), skip.Select(d => d.Letter.MessageId).ToList());
                _replayWriting = writing.ContinueWith(_ => { }, TaskScheduler.Current);
                await writing;
            }
            foreach (var letter in skip)
            {
                _deadLetters.Remove(letter);
                _outcomes.Skipped++;
            }
            foreach (var letter in replay)
            {
                _deadLetters.Remove(letter);
                _queue.Add(new PendingPayload(letter.Payload), replay: true);
            }
            logger.LogInformation("Destination {DestinationId} partition {Partition} replays {Count} dead letters and drops {Skipped} superseded ones",
                _destinationId, _partition, replay.Count, skip.Count);
            StartPump();
            return new ReplayResult(replay.Count, skip.Count);
        }
        finally
        {
            _deadLetters.Unclaim(chosen);
        }
    }

    /// <summary>The steps each user of <paramref name="claims"/> is a member of now, asking each user once.</summary>
    private async Task<Dictionary<(string SpaceId, string UserKey), IReadOnlySet<string>>> CurrentStepsAsync(IEnumerable<MembershipClaim> claims)
    {
        var users = claims.Select(c => (c.SpaceId, c.UserKey)).Distinct().ToList();
        // An anonymous profile merged since its payload was sent is asked where it went.
        var views = await Task.WhenAll(users.Select(u => GrainFactory.CallFollowingMergeAsync(u.SpaceId, u.UserKey, user => user.GetAsync())));
        var steps = new Dictionary<(string, string), IReadOnlySet<string>>();
        for (var i = 0; i < users.Count; i++)
            steps[users[i]] = views[i].Memberships.Select(m => $"{m.JourneyId}:{m.StepId}").ToHashSet(StringComparer.Ordinal);
        return steps;
    }

    public Task<DeliveryStats> GetStatsAsync()
    {
        var failed = _deadLetters.Count;
        // Sent payloads whose rows are still being deleted are counted as delivered already.
        var pending = _queue.Count;
        return Task.FromResult(new DeliveryStats
        {
            // Computed, not counted: every payload is delivered, failed, waiting or skipped, so it never falls below delivered.
            Received = _outcomes.Delivered + failed + pending + _outcomes.Skipped,
            Delivered = _outcomes.Delivered,
            Failed = failed,
            Pending = pending,
            PendingRetry = _queue.All.Count(p => p.Attempts > 0),
            Retries = _outcomes.Retries,
            Skipped = _outcomes.Skipped,
            LastFailures = _deadLetters.LastFailures,
        });
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        StartPump();
        return Task.CompletedTask;
    }

    private void StartPump() => _pump.Start();

    private async Task EnsureDrainReminderAsync()
    {
        if (_reminderRegistered) return;
        _reminderRegistered = true;
        var period = options.Value.ResumeReminderPeriod;
        await this.RegisterOrUpdateReminder(DrainReminder, period, period);
    }

    private void Forgotten(IReadOnlyList<OutgoingPayload> payloads)
    {
        foreach (var payload in payloads) _queue.Release(payload.UserKey);
        StartPump();
    }

}
