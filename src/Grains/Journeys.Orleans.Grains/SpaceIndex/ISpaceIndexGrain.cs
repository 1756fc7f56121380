using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.SpaceIndex;

/// <summary>
/// One partition of a space's index on the embedded default (users spread by a hash of their key). Keyed by
/// <see cref="GrainKeys.SpaceIndexPartition"/>.
/// </summary>
[Alias("journeys.ISpaceIndexGrain")]
public interface ISpaceIndexGrain : IMemberPartitionGrain
{
    /// <summary>Several users' changes, each user's in order; only a newer epoch replaces or removes a row, so replays are harmless.</summary>
    [Alias("Apply")]
    Task ApplyAsync(IReadOnlyList<Transition> changes);
}
