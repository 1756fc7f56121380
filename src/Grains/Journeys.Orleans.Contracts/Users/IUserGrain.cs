using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// One user (profile) of a space: takes their events, keeps their traits, journey positions and send-step
/// memberships, and hands their transitions to the connected destinations in order.
/// Keyed by <c>{spaceId}/u:{userId}</c> or <c>{spaceId}/a:{anonymousId}</c>. An anonymous profile merged into an
/// identified one answers every call with <see cref="UserMergedException"/>, naming where the call belongs.
/// </summary>
[Alias("journeys.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Records a track call and moves the user through the space's published journeys.</summary>
    [Alias("Track")]
    Task TrackAsync(TrackEvent trackEvent);

    /// <summary>Records an identify call and moves the user through the space's published journeys.</summary>
    [Alias("Identify")]
    Task IdentifyAsync(IdentifyEvent identifyEvent);

    /// <summary>
    /// Merges the anonymous profile <see cref="AliasEvent.PreviousId"/> into this identified user (Segment's
    /// <c>alias</c>); refused, and reported on the user, when it already belongs to another user.
    /// </summary>
    [Alias("Alias")]
    Task AliasAsync(AliasEvent aliasEvent);

    /// <summary>
    /// Moves the user on without a call of theirs: a delay or timeout passed (the wake-up scheduler), or a journey they
    /// are in was archived.
    /// </summary>
    [Alias("Wake")]
    Task WakeAsync();

    /// <summary>
    /// Enters the user into a journey being published with backfill when their history meets its entry condition and
    /// they never entered it. Returns true when they entered.
    /// </summary>
    [Alias("Backfill")]
    Task<bool> BackfillAsync(string journeyId);

    /// <summary>
    /// Tells a destination connected to a send step after the user entered it that the user is in it (one "entered"
    /// of the membership's epoch, with the message ids it would have had): once per membership and destination, and
    /// only while the user is in the step. Returns true when it told it now.
    /// </summary>
    [Alias("Announce")]
    Task<bool> AnnounceAsync(string journeyId, string stepId, string destinationId);

    /// <summary>The user's traits, journey positions, memberships and recent transitions.</summary>
    [Alias("Get")]
    Task<UserView> GetAsync();

    /// <summary>The user's path through their journeys, with where each send step's payloads stand (<see cref="UserPath"/>).</summary>
    [Alias("GetPath")]
    Task<UserPath> GetPathAsync();
}
