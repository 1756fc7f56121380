namespace Journeys.Orleans;

/// <summary>
/// The string keys of the grains. Every key starts with a non-hex character: Orleans' ADO.NET storage parses
/// all-hex string keys as integers, so "42" and "042" would share a row.
/// </summary>
public static class GrainKeys
{
    /// <summary>The per-user grain of <paramref name="userKey"/> (<c>u:...</c> / <c>a:...</c>) in a space.</summary>
    public static string User(string spaceId, string userKey) => $"{spaceId}/{userKey}";

    private const string IdentifiedPrefix = "u:";
    private const string AnonymousPrefix = "a:";

    /// <summary>The user key: <c>u:</c>userId when there is one, else <c>a:</c>anonymousId.</summary>
    public static string UserKey(string? userId, string? anonymousId) =>
        !string.IsNullOrEmpty(userId) ? IdentifiedPrefix + userId : AnonymousPrefix + anonymousId;

    /// <summary>True for an identified user's key (<c>u:</c>userId).</summary>
    public static bool IsIdentified(string userKey) => userKey.StartsWith(IdentifiedPrefix, StringComparison.Ordinal);

    /// <summary>True for an anonymous profile's key (<c>a:</c>anonymousId).</summary>
    public static bool IsAnonymous(string userKey) => userKey.StartsWith(AnonymousPrefix, StringComparison.Ordinal);

    /// <summary>The ids a user key stands for (one of them set), or null when it is not a user key.</summary>
    public static (string? UserId, string? AnonymousId)? IdsOf(string userKey) =>
        IsIdentified(userKey) ? (userKey[IdentifiedPrefix.Length..], null)
        : IsAnonymous(userKey) ? (null, userKey[AnonymousPrefix.Length..])
        : null;

    /// <summary>A partition grain of a destination.</summary>
    public static string DestinationPartition(string destinationId, int partition) => $"{destinationId}/p{partition}";

    /// <summary>The sync of one step's members to a list destination's remote list.</summary>
    public static string ListSync(string destinationId, string stepId) => $"{destinationId}/sync/{stepId}";

    /// <summary>The walk that tells a destination connected later of a send step's current members.</summary>
    public static string ConnectBackfill(string stepId, string destinationId) => $"{stepId}/connect/{destinationId}";

    /// <summary>The recording store of a destination.</summary>
    public static string Recording(string destinationId) => $"recording/{destinationId}";

    /// <summary>The wake-up bucket of a user waiting until <paramref name="wakeAt"/> (rounded up to the minute).</summary>
    public static string WakeBucket(string spaceId, DateTimeOffset wakeAt, int partition)
    {
        var minute = (long)Math.Ceiling(wakeAt.ToUnixTimeMilliseconds() / 60_000.0);
        return $"{spaceId}/wake/{minute}/{partition}";
    }

    /// <summary>
    /// A partition of a space's index on the embedded default: under each step id, the users in that step; under
    /// <see cref="UserDirectoryStep"/>, every user the space has seen (for backfills). One index per space, so a user's
    /// changes in all journeys go to one partition grain in one call.
    /// </summary>
    public static string SpaceIndexPartition(string spaceId, int partition) => $"{spaceId}/index/p{partition}";

    /// <summary>The "step" of a space's index that lists every user of the space.</summary>
    public const string UserDirectoryStep = "users";

    /// <summary>The grain of a write key.</summary>
    public static string WriteKey(string writeKey) => $"writekey/{writeKey}";

    /// <summary>The registry of step keys with one prefix.</summary>
    public static string StepKeyRegistry(string keyPrefix) => $"stepkeys/{keyPrefix}";
}
