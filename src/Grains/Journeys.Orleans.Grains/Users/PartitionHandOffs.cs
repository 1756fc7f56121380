using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Users;

/// <summary>
/// How this silo's users tell destination partitions (and member sets) of their committed changes: per partition, the
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

    public PartitionHandOffs(IGrainFactory grains)
    {
        _payloads = CallCoalescer.OfLists<OutgoingPayload>(
            (partition, payloads) => grains.Get<IEventDeliveryGrain>(partition).DeliverAsync(payloads), MaxPerCall);
        _members = new CallCoalescer<MemberChanges>(
            (partition, handed) => grains.Get<IListMembersGrain>(partition).ApplyManyAsync(handed),
            changes => changes.Transitions.Count, MaxPerCall);
    }

    /// <param name="partition">The partition grain's key (<see cref="GrainKeys.DestinationPartition"/>).</param>
    /// <param name="payloads">One user's payloads, in order.</param>
    public Task DeliverAsync(string partition, IReadOnlyList<OutgoingPayload> payloads) => _payloads.SendAsync(partition, payloads);

    /// <param name="partition">The partition grain's key (<see cref="GrainKeys.DestinationPartition"/>).</param>
    /// <param name="changes">One user's member changes.</param>
    public Task ApplyAsync(string partition, MemberChanges changes) => _members.SendAsync(partition, changes);
}
