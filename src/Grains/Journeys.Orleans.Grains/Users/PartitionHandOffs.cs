using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.SpaceIndex;

namespace Journeys.Orleans.Users;

/// <summary>
/// How this silo's users tell destination partitions (and the space index's partitions) of their committed changes: per partition, the
/// hand-offs of many users go together in one grain call (<see cref="CallCoalescer{TItem}"/>). A user still waits for
/// its own hand-off, so its changes arrive in order, and a failed call fails each of its users' hand-offs, which those
/// users hand over again.
/// </summary>
public sealed class PartitionHandOffs
{
    /// <summary>Payloads or member changes one call carries at most.</summary>
    private const int MaxPerCall = 1000;

    private readonly CallCoalescer<IReadOnlyList<OutgoingPayload>> _payloads;
    private readonly CallCoalescer<MemberChanges> _members;
    private readonly CallCoalescer<IReadOnlyList<Transition>> _index;

    public PartitionHandOffs(IGrainFactory grains)
    {
        _payloads = CallCoalescer.OfLists<OutgoingPayload>(
            (partition, payloads) => grains.Get<IEventDeliveryGrain>(partition).DeliverAsync(payloads), MaxPerCall);
        _members = new CallCoalescer<MemberChanges>(
            (partition, handed) => grains.Get<IListMembersGrain>(partition).ApplyManyAsync(handed),
            changes => changes.Transitions.Count, MaxPerCall);
        _index = CallCoalescer.OfLists<Transition>((partition, changes) => grains.Get<ISpaceIndexGrain>(partition).ApplyAsync(changes), MaxPerCall);
    }

    /// <param name="partition">The partition grain's key (<see cref="GrainKeys.DestinationPartition"/>).</param>
    /// <param name="payloads">One user's payloads, in order.</param>
    public Task DeliverAsync(string partition, IReadOnlyList<OutgoingPayload> payloads) => _payloads.SendAsync(partition, payloads);

    /// <param name="partition">The partition grain's key (<see cref="GrainKeys.DestinationPartition"/>).</param>
    /// <param name="changes">One user's member changes.</param>
    public Task ApplyAsync(string partition, MemberChanges changes) => _members.SendAsync(partition, changes);

    /// <param name="partition">The index partition grain's key (<see cref="GrainKeys.SpaceIndexPartition"/>).</param>
    /// <param name="changes">One user's index changes, in order.</param>
    public Task IndexAsync(string partition, IReadOnlyList<Transition> changes) => _index.SendAsync(partition, changes);
}
