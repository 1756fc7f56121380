using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Members;

/// <summary>
/// The members of list destinations as their readers see them: a step's members counted and paged. Chosen once, at
/// host set-up: <see cref="GrainListMembers"/> on the embedded default (the <see cref="IListMembersGrain"/>
/// partitions keep them), <see cref="Persistence.PostgreSql.PostgresListMemberRows"/> with PostgreSQL (rows the users'
/// commits write).
/// </summary>
public interface IListMembers
{
    /// <summary>Whether a remote list can be synced: the sync reads the log of member changes, which only PostgreSQL keeps.</summary>
    bool KeepsChangeLog { get; }

    Task<MemberPage> GetPageAsync(string destinationId, int partitions, string stepId, string? pageToken, int pageSize);

    Task<long> CountAsync(string destinationId, int partitions, string stepId);
}

/// <summary>List members on the embedded default: kept by the destination's partition grains.</summary>
public sealed class GrainListMembers(IGrainFactory grains) : IListMembers
{
    public bool KeepsChangeLog => false;

    public Task<MemberPage> GetPageAsync(string destinationId, int partitions, string stepId, string? pageToken, int pageSize) =>
        MemberPages.ReadAsync(p => Partition(destinationId, p), partitions, stepId, pageToken, pageSize);

    public Task<long> CountAsync(string destinationId, int partitions, string stepId) =>
        MemberPages.CountAsync(p => Partition(destinationId, p), partitions, stepId);

    private IListMembersGrain Partition(string destinationId, int partition) =>
        grains.Get<IListMembersGrain>(GrainKeys.DestinationPartition(destinationId, partition));
}
