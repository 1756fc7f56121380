using Journeys.Orleans.Domain;
using Journeys.Orleans.Members;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.SpaceIndex;

/// <summary>The space's index on the embedded default: kept by <see cref="SpaceIndexGrain"/> partitions.</summary>
public sealed class GrainSpaceIndex(IGrainFactory grains) : ISpaceIndex
{
    public Task<MemberPage> GetPageAsync(string spaceId, string stepId, string? pageToken, int pageSize) =>
        MemberPages.ReadAsync(p => Partition(spaceId, p), SpaceIndexGrain.Partitions, stepId, pageToken, pageSize);

    public Task<long> CountAsync(string spaceId, string stepId) =>
        MemberPages.CountAsync(p => Partition(spaceId, p), SpaceIndexGrain.Partitions, stepId);

    /// <summary>The partition that keeps <paramref name="userKey"/>.</summary>
    public static string PartitionOf(string spaceId, string userKey) =>
        GrainKeys.SpaceIndexPartition(spaceId, Partitioner.PartitionOf(userKey, SpaceIndexGrain.Partitions));

    private ISpaceIndexGrain Partition(string spaceId, int partition) =>
        grains.Get<ISpaceIndexGrain>(GrainKeys.SpaceIndexPartition(spaceId, partition));
}
