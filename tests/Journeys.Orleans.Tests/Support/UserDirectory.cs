using Journeys.Orleans.Interfaces;

namespace Journeys.Orleans.Tests.Support;

/// <summary>The space's user directory, which a backfill walks and counts.</summary>
public static class UserDirectory
{
    /// <summary>
    /// Waits until the directory lists <paramref name="users"/> users: a user is listed through their outbox, after
    /// their call returned, and a backfill counts only those listed when it starts.
    /// </summary>
    public static Task<long> ListedAsync(IGrainFactory grains, string spaceId, int partitions, long users) =>
        Eventually.Until(async () => (await Task.WhenAll(Enumerable.Range(0, partitions).Select(p => grains
                .GetGrain<IListMembersGrain>(GrainKeys.DestinationPartition(GrainKeys.SpaceIndex(spaceId), p))
                .CountAsync(GrainKeys.UserDirectoryStep)))).Sum(),
            listed => listed == users);
}
