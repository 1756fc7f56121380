using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// What every partition grain that keeps users per step answers: a list destination's partition, or a partition of a
/// space's index on the embedded default. Pages walk the partitions in turn (<c>MemberPages</c>).
/// </summary>
[Alias("journeys.IMemberPartitionGrain")]
public interface IMemberPartitionGrain : IGrainWithStringKey
{
    /// <summary>Members of <paramref name="stepId"/> with keys after <paramref name="afterUserKey"/>, in key order.</summary>
    [Alias("GetMembers")]
    Task<IReadOnlyList<ListMember>> GetMembersAsync(string stepId, string? afterUserKey, int limit);

    /// <summary>How many members <paramref name="stepId"/> has in this partition.</summary>
    [Alias("Count")]
    Task<long> CountAsync(string stepId);
}
