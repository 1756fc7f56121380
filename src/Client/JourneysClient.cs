using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Client;

/// <summary>The <see cref="IJourneysClient"/> over any grain factory: a cluster client or a silo's own.</summary>
public sealed class JourneysClient(IGrainFactory grains) : IJourneysClient
{
    public Task<DestinationInfo> CreateDestinationAsync(DestinationDefinition definition, string spaceId = SpaceIds.Default) =>
        Space(spaceId).CreateDestinationAsync(definition);

    public Task<DestinationInfo> GetDestinationAsync(string destinationId) => Destination(destinationId).GetAsync();

    public Task<IReadOnlyList<DestinationInfo>> ListDestinationsAsync(string spaceId = SpaceIds.Default) =>
        Space(spaceId).ListDestinationsAsync();

    public Task<JourneyInfo> CreateJourneyAsync(JourneyDefinition definition, string spaceId = SpaceIds.Default) =>
        Space(spaceId).CreateJourneyAsync(definition);

    public Task<JourneyInfo> GetJourneyAsync(string journeyId) => Journey(journeyId).GetAsync();

    public Task<IReadOnlyList<JourneyInfo>> ListJourneysAsync(string spaceId = SpaceIds.Default) =>
        Space(spaceId).ListJourneysAsync();

    public Task<StepInfo> AddStepAsync(string journeyId, StepDefinition definition) => Journey(journeyId).AddStepAsync(definition);

    public Task<StepInfo> GetStepAsync(string stepId) => Step(stepId).GetAsync();

    public Task<StepInfo> RenameStepAsync(string stepId, string name) => Step(stepId).RenameAsync(name);

    public Task<StepInfo> ConnectAsync(string stepId, string destinationId, ConnectionSettings? settings = null) =>
        Step(stepId).ConnectAsync(destinationId, settings ?? ConnectionSettings.Default);

    public Task<ConnectBackfillStatus> GetConnectBackfillAsync(string stepId, string destinationId) =>
        Step(stepId).GetConnectBackfillAsync(destinationId);

    public Task<JourneyInfo> PublishAsync(string journeyId) => Journey(journeyId).PublishAsync();

    public Task<JourneyInfo> PauseJourneyAsync(string journeyId) => Journey(journeyId).PauseAsync();

    public Task<JourneyInfo> ResumeJourneyAsync(string journeyId) => Journey(journeyId).ResumeAsync();

    public Task<JourneyInfo> ArchiveJourneyAsync(string journeyId) => Journey(journeyId).ArchiveAsync();

    public Task<JourneyInfo> ImportJourneyAsync(JourneyDocument document, string spaceId = SpaceIds.Default)
    {
        if (document is null) throw new JourneysValidationException("document", "is required");
        return Space(spaceId).ImportJourneyAsync(document);
    }

    public Task ValidateJourneyAsync(JourneyDocument document, string spaceId = SpaceIds.Default)
    {
        if (document is null) throw new JourneysValidationException("document", "is required");
        return Space(spaceId).ValidateJourneyAsync(document);
    }

    public Task<JourneyInfo> ReplaceStepsAsync(string journeyId, IReadOnlyList<StepDocument> steps)
    {
        if (steps is null) throw new JourneysValidationException("steps", "is required");
        return Journey(journeyId).ReplaceStepsAsync(steps);
    }

    public Task<JourneyDocument> ExportJourneyAsync(string journeyId) => Journey(journeyId).ExportAsync();

    public Task<JourneyInfo> CreateVersionAsync(string journeyId) => Journey(journeyId).CreateVersionAsync();

    public Task<JourneyInfo> CloneJourneyAsync(string journeyId, string? name = null) => Journey(journeyId).CloneAsync(name);

    public Task<IReadOnlyList<StepCount>> GetStepCountsAsync(string journeyId) => Journey(journeyId).GetStepCountsAsync();

    public Task<MemberPage> GetStepMembersAsync(string journeyId, string stepId, string? pageToken = null, int pageSize = 100)
    {
        CheckId(stepId, "stp_", "stepId");
        return Journey(journeyId).GetStepMembersAsync(stepId, pageToken, pageSize);
    }

    // The user grain checks the whole call; here only what its key is made of.
    public Task TrackAsync(TrackEvent trackEvent)
    {
        ArgumentNullException.ThrowIfNull(trackEvent);
        InputRules.CheckSpaceId(trackEvent.SpaceId);
        InputRules.CheckIdentity(trackEvent.UserId, trackEvent.AnonymousId);
        // A call with a user id goes straight to its grain (no closure on the hot path); one with an anonymous id alone
        // may be for a merged profile.
        return trackEvent.UserId is not null
            ? User(trackEvent.SpaceId, trackEvent.UserId, trackEvent.AnonymousId).TrackAsync(trackEvent)
            : grains.CallFollowingMergeAsync(trackEvent.SpaceId, GrainKeys.UserKey(null, trackEvent.AnonymousId), user => user.TrackAsync(trackEvent));
    }

    public Task IdentifyAsync(IdentifyEvent identifyEvent)
    {
        ArgumentNullException.ThrowIfNull(identifyEvent);
        InputRules.CheckSpaceId(identifyEvent.SpaceId);
        InputRules.CheckIdentity(identifyEvent.UserId, identifyEvent.AnonymousId);
        return identifyEvent.UserId is not null
            ? User(identifyEvent.SpaceId, identifyEvent.UserId, identifyEvent.AnonymousId).IdentifyAsync(identifyEvent)
            : grains.CallFollowingMergeAsync(identifyEvent.SpaceId, GrainKeys.UserKey(null, identifyEvent.AnonymousId), user => user.IdentifyAsync(identifyEvent));
    }

    public Task AliasAsync(AliasEvent aliasEvent)
    {
        InputRules.Check(aliasEvent);
        return User(aliasEvent.SpaceId, aliasEvent.UserId, null).AliasAsync(aliasEvent);
    }

    public Task<UserView> GetUserAsync(string? userId, string? anonymousId = null, string spaceId = SpaceIds.Default)
    {
        InputRules.CheckSpaceId(spaceId);
        InputRules.CheckIdentity(userId, anonymousId);
        return OnProfileAsync(spaceId, userId, anonymousId, user => user.GetAsync());
    }

    public Task<UserPath> GetUserPathAsync(string? userId, string? anonymousId = null, string spaceId = SpaceIds.Default)
    {
        InputRules.CheckSpaceId(spaceId);
        InputRules.CheckIdentity(userId, anonymousId);
        return OnProfileAsync(spaceId, userId, anonymousId, user => user.GetPathAsync());
    }

    public Task<MemberPage> GetMembersAsync(string destinationId, string stepId, string? pageToken = null, int pageSize = 100)
    {
        CheckId(stepId, "stp_", "stepId");
        return ListOf(stepId, listStepId => Destination(destinationId).GetMembersAsync(listStepId, pageToken, pageSize));
    }

    public Task<long> CountMembersAsync(string destinationId, string stepId)
    {
        CheckId(stepId, "stp_", "stepId");
        return ListOf(stepId, listStepId => Destination(destinationId).CountMembersAsync(listStepId));
    }

    public Task<DeliveryStats> GetDeliveryStatsAsync(string destinationId) => Destination(destinationId).GetDeliveryStatsAsync();

    public Task<DestinationInfo> PauseDestinationAsync(string destinationId) => Destination(destinationId).PauseAsync();

    public Task<DestinationInfo> ResumeDestinationAsync(string destinationId) => Destination(destinationId).ResumeAsync();

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string destinationId, int limit = 100) =>
        Destination(destinationId).GetDeadLettersAsync(limit);

    public Task<ReplayResult> ReplayAsync(string destinationId, IReadOnlyList<string>? messageIds = null) =>
        Destination(destinationId).ReplayAsync(messageIds);

    public Task ResyncListAsync(string destinationId, string stepId)
    {
        CheckId(stepId, "stp_", "stepId");
        return ListOf(stepId, listStepId => Destination(destinationId).ResyncAsync(listStepId));
    }
    /// <summary>
    /// Runs <paramref name="call"/> with the step id a list destination keeps the step's members under: a send step of a
    /// later version that kept its key shares the lists of the first version's step (<see cref="StepInfo.ListStepId"/>).
    /// </summary>
    private async Task<T> ListOf<T>(string stepId, Func<string, Task<T>> call)
    {
        string listStepId;
        try
        {
            listStepId = (await Step(stepId).GetAsync()).ListStepId ?? stepId;
        }
        catch (JourneysNotFoundException)
        {
            listStepId = stepId;
        }
        return await call(listStepId);
    }

    private Task ListOf(string stepId, Func<string, Task> call) => ListOf(stepId, async id => { await call(id); return true; });


    public Task<ListSyncStatus> GetListSyncAsync(string destinationId, string stepId)
    {
        CheckId(stepId, "stp_", "stepId");
        return ListOf(stepId, listStepId => Destination(destinationId).GetListSyncAsync(listStepId));
    }

    public Task<WriteKeyInfo> CreateWriteKeyAsync(string spaceId = SpaceIds.Default) => Space(spaceId).CreateWriteKeyAsync();

    public Task RevokeWriteKeyAsync(string writeKey, string spaceId = SpaceIds.Default)
    {
        CheckId(writeKey, "wk_", "writeKey");
        return Space(spaceId).RevokeWriteKeyAsync(writeKey);
    }

    public Task<IReadOnlyList<WriteKeyInfo>> ListWriteKeysAsync(string spaceId = SpaceIds.Default) => Space(spaceId).ListWriteKeysAsync();

    public Task<string?> ResolveWriteKeyAsync(string writeKey)
    {
        if (string.IsNullOrWhiteSpace(writeKey) || !writeKey.StartsWith("wk_", StringComparison.Ordinal) || writeKey.Length > 64 || writeKey.Contains('/'))
            return Task.FromResult<string?>(null);
        return grains.Get<IWriteKeyGrain>(GrainKeys.WriteKey(writeKey)).GetSpaceAsync();
    }

    public Task<IReadOnlyList<RecordedMessage>> GetRecordedAsync(string destinationId)
    {
        CheckId(destinationId, "dst_", "destinationId");
        return grains.Get<IRecordingGrain>(GrainKeys.Recording(destinationId)).GetAllAsync();
    }

    private ISpaceGrain Space(string spaceId)
    {
        InputRules.CheckSpaceId(spaceId);
        return grains.Get<ISpaceGrain>(spaceId);
    }

    private IJourneyGrain Journey(string journeyId)
    {
        CheckId(journeyId, "jny_", "journeyId");
        return grains.Get<IJourneyGrain>(journeyId);
    }

    private IStepGrain Step(string stepId)
    {
        CheckId(stepId, "stp_", "stepId");
        return grains.Get<IStepGrain>(stepId);
    }

    private IDestinationGrain Destination(string destinationId)
    {
        CheckId(destinationId, "dst_", "destinationId");
        return grains.Get<IDestinationGrain>(destinationId);
    }

    /// <summary>
    /// Calls the profile of these ids. Only an anonymous id alone can name a profile merged into an identified user: such a
    /// call follows the merge (<see cref="MergedProfiles"/>); the usual call goes straight to its grain.
    /// </summary>
    private Task<T> OnProfileAsync<T>(string spaceId, string? userId, string? anonymousId, Func<IUserGrain, Task<T>> call) =>
        userId is not null
            ? call(User(spaceId, userId, anonymousId))
            : grains.CallFollowingMergeAsync(spaceId, GrainKeys.UserKey(null, anonymousId), call);

    private IUserGrain User(string spaceId, string? userId, string? anonymousId) =>
        grains.Get<IUserGrain>(GrainKeys.User(spaceId, GrainKeys.UserKey(userId, anonymousId)));

    private static void CheckId(string? id, string prefix, string field)
    {
        if (string.IsNullOrWhiteSpace(id))
            throw new JourneysValidationException(field, "is required");
        if (!id.StartsWith(prefix, StringComparison.Ordinal) || id.Length > 64 || id.Contains('/'))
            throw new JourneysValidationException(field, $"must be an id starting with {prefix}");
    }
}
