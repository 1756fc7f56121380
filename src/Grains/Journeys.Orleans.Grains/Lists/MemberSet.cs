using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;

namespace Journeys.Orleans.Members;

/// <summary>
/// Reads the members of one step of a list destination, kept by its partitioned <see cref="IListMembersGrain"/>s: rows
/// in the database when one is configured, else the partitions' state (<see cref="MemberPages"/>).
/// </summary>
public sealed class MemberSet(IGrainFactory grains, ListMemberStorage storage, string destinationId, int partitions)
{
    public async Task<MemberPage> GetPageAsync(string stepId, string? pageToken, int pageSize)
    {
        if (storage.Rows is not { } rows) return await MemberPages.ReadAsync(Partition, partitions, stepId, pageToken, pageSize);
        return MemberPages.OfRows(await rows.GetPageAsync(destinationId, stepId, MemberPages.RowsAfter(pageToken, pageSize), pageSize), pageSize);
    }

    public async Task<long> CountAsync(string stepId) =>
        storage.Rows is { } rows ? await rows.CountAsync(destinationId, stepId) : await MemberPages.CountAsync(Partition, partitions, stepId);

    public IListMembersGrain Partition(int partition) =>
        grains.Get<IListMembersGrain>(GrainKeys.DestinationPartition(destinationId, partition));
}
