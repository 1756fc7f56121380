using Journeys.Orleans.SpaceIndex;

namespace Journeys.Orleans.Tests.Support;

/// <summary>The space's user directory, which a backfill walks and counts.</summary>
public static class UserDirectory
{
    /// <summary>
    /// Waits until the directory lists <paramref name="users"/> users on the embedded default, where a user is listed
    /// (in the index partitions' memory) after their call returned; a backfill counts only those listed when it starts.
    /// With PostgreSQL the directory rows are committed with the call, before it returns: nothing to wait for.
    /// </summary>
    public static Task<long> ListedAsync(IGrainFactory grains, string spaceId, long users) =>
        Eventually.Until(async () => (await Task.WhenAll(Enumerable.Range(0, SpaceIndexGrain.Partitions).Select(p => grains
                .GetGrain<ISpaceIndexGrain>(GrainKeys.SpaceIndexPartition(spaceId, p))
                .CountAsync(GrainKeys.UserDirectoryStep)))).Sum(),
            listed => listed == users);
}
