using Journeys.Orleans.Model;

namespace Journeys.Orleans.Client;

/// <summary>
/// The typed entry point to Journeys.Orleans for .NET services: define destinations and journeys, send
/// Segment-spec calls, and read members and delivery counters. Every method refuses bad input with a
/// <see cref="JourneysValidationException"/> naming the field, before anything changes.
/// </summary>
public interface IJourneysClient
{
    /// <summary>Creates an event or list destination.</summary>
    Task<DestinationInfo> CreateDestinationAsync(DestinationDefinition definition, string spaceId = SpaceIds.Default);

    /// <summary>A destination, without secrets.</summary>
    Task<DestinationInfo> GetDestinationAsync(string destinationId);

    /// <summary>The space's destinations, without secrets.</summary>
    Task<IReadOnlyList<DestinationInfo>> ListDestinationsAsync(string spaceId = SpaceIds.Default);

    /// <summary>Creates a draft journey.</summary>
    Task<JourneyInfo> CreateJourneyAsync(JourneyDefinition definition, string spaceId = SpaceIds.Default);

    /// <summary>A journey with its steps.</summary>
    Task<JourneyInfo> GetJourneyAsync(string journeyId);

    /// <summary>The space's journeys.</summary>
    Task<IReadOnlyList<JourneyInfo>> ListJourneysAsync(string spaceId = SpaceIds.Default);

    /// <summary>Appends a step to a draft journey; the returned step carries its generated key.</summary>
    Task<StepInfo> AddStepAsync(string journeyId, StepDefinition definition);

    /// <summary>A step with its key and connections.</summary>
    Task<StepInfo> GetStepAsync(string stepId);

    /// <summary>Renames a step; its key stays.</summary>
    Task<StepInfo> RenameStepAsync(string stepId, string name);

    /// <summary>Connects a destination to a send step (default settings: track and identify, string values).</summary>
    Task<StepInfo> ConnectAsync(string stepId, string destinationId, ConnectionSettings? settings = null);

    /// <summary>
    /// How far a destination connected to a send step that already had members has been told of them (in the
    /// background: one "entered" per member, nothing twice).
    /// </summary>
    Task<ConnectBackfillStatus> GetConnectBackfillAsync(string stepId, string destinationId);

    /// <summary>Publishes a journey; from when this returns, new calls move users through it.</summary>
    Task<JourneyInfo> PublishAsync(string journeyId);

    /// <summary>Closes a published journey's entry; users inside go on.</summary>
    Task<JourneyInfo> PauseJourneyAsync(string journeyId);

    /// <summary>Opens a paused journey's entry again.</summary>
    Task<JourneyInfo> ResumeJourneyAsync(string journeyId);

    /// <summary>Archives a journey: it moves nobody any more; members of its <c>onStepLeave</c> send steps leave them.</summary>
    Task<JourneyInfo> ArchiveJourneyAsync(string journeyId);

    /// <summary>
    /// Creates a draft journey from a document (config as code), after checking all of it: nothing is created when
    /// anything is wrong.
    /// </summary>
    Task<JourneyInfo> ImportJourneyAsync(JourneyDocument document, string spaceId = SpaceIds.Default);

    /// <summary>Checks a journey document as <see cref="ImportJourneyAsync"/> would, without creating anything.</summary>
    Task ValidateJourneyAsync(JourneyDocument document, string spaceId = SpaceIds.Default);

    /// <summary>Replaces a draft's steps from a document's steps; unchanged steps keep their keys.</summary>
    Task<JourneyInfo> ReplaceStepsAsync(string journeyId, IReadOnlyList<StepDocument> steps);

    /// <summary>A journey's definition as a document that <see cref="ImportJourneyAsync"/> takes back unchanged.</summary>
    Task<JourneyDocument> ExportJourneyAsync(string journeyId);

    /// <summary>A new draft version of a published journey, keeping its step keys (at most 25 versions).</summary>
    Task<JourneyInfo> CreateVersionAsync(string journeyId);

    /// <summary>A new draft journey with the same definition and connections, and new step keys.</summary>
    Task<JourneyInfo> CloneJourneyAsync(string journeyId, string? name = null);

    /// <summary>How many users are in each step of a journey now.</summary>
    Task<IReadOnlyList<StepCount>> GetStepCountsAsync(string journeyId);

    /// <summary>A page of the users in a step of a journey.</summary>
    Task<MemberPage> GetStepMembersAsync(string journeyId, string stepId, string? pageToken = null, int pageSize = 100);

    /// <summary>Sends a track call.</summary>
    Task TrackAsync(TrackEvent trackEvent);

    /// <summary>Sends an identify call.</summary>
    Task IdentifyAsync(IdentifyEvent identifyEvent);

    /// <summary>
    /// Sends an alias call: the anonymous profile <see cref="AliasEvent.PreviousId"/> is merged into the user
    /// <see cref="AliasEvent.UserId"/> (a call carrying both ids does the same).
    /// </summary>
    Task AliasAsync(AliasEvent aliasEvent);

    /// <summary>A user's traits, journey positions, memberships and recent transitions.</summary>
    Task<UserView> GetUserAsync(string? userId, string? anonymousId = null, string spaceId = SpaceIds.Default);

    /// <summary>
    /// A user's path through their journeys (from their recent transitions): each step visit with its times, and the
    /// payloads of send steps with where each stands (waiting, queued, retrying, delivered, failed with its answer).
    /// </summary>
    Task<UserPath> GetUserPathAsync(string? userId, string? anonymousId = null, string spaceId = SpaceIds.Default);

    /// <summary>A page of the users in <paramref name="stepId"/>, as kept by a list destination.</summary>
    Task<MemberPage> GetMembersAsync(string destinationId, string stepId, string? pageToken = null, int pageSize = 100);

    /// <summary>How many users a list destination holds for <paramref name="stepId"/>.</summary>
    Task<long> CountMembersAsync(string destinationId, string stepId);

    /// <summary>A destination's delivery counters and last failures.</summary>
    Task<DeliveryStats> GetDeliveryStatsAsync(string destinationId);

    /// <summary>Stops sending to an event destination; payloads are kept and sent on resume.</summary>
    Task<DestinationInfo> PauseDestinationAsync(string destinationId);

    /// <summary>Sends again after a pause.</summary>
    Task<DestinationInfo> ResumeDestinationAsync(string destinationId);

    /// <summary>An event destination's dead letters: refused for good, or retried for too long.</summary>
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string destinationId, int limit = 100);

    /// <summary>
    /// Sends dead letters again (those with the given message ids, or all), except those a later message superseded
    /// (the user's membership of the step is no longer what they say): those are dropped. Returns how many of each.
    /// </summary>
    Task<ReplayResult> ReplayAsync(string destinationId, IReadOnlyList<string>? messageIds = null);

    /// <summary>Re-sends the whole member list of a step to a list destination's remote list.</summary>
    Task ResyncListAsync(string destinationId, string stepId);

    /// <summary>Where the remote sync of a step's members stands.</summary>
    Task<ListSyncStatus> GetListSyncAsync(string destinationId, string stepId);

    /// <summary>Issues a write key for the space's HTTP tracking API.</summary>
    Task<WriteKeyInfo> CreateWriteKeyAsync(string spaceId = SpaceIds.Default);

    /// <summary>Revokes a write key of the space.</summary>
    Task RevokeWriteKeyAsync(string writeKey, string spaceId = SpaceIds.Default);

    /// <summary>The space's write keys that are not revoked.</summary>
    Task<IReadOnlyList<WriteKeyInfo>> ListWriteKeysAsync(string spaceId = SpaceIds.Default);

    /// <summary>The space a write key belongs to, or null when it is unknown or revoked.</summary>
    Task<string?> ResolveWriteKeyAsync(string writeKey);

    /// <summary>The payloads a destination with the recording connector was sent, oldest first.</summary>
    Task<IReadOnlyList<RecordedMessage>> GetRecordedAsync(string destinationId);
}
