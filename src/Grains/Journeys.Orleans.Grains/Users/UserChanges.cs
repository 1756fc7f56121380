using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Users;

/// <summary>
/// What a user's outbox means for one destination or member set: for an event destination the payloads to send, for a
/// list destination or the space's index the net member changes (per step, the last transition: a user who entered and
/// left a step within one call ends where the last one put them).
/// </summary>
public sealed record DestinationChanges(
    ConnectionInfo Connection,
    int Partition,
    IReadOnlyList<TransitionDelivery> Deliveries,
    IReadOnlyList<OutgoingPayload> Payloads,
    IReadOnlyList<Transition> Members,
    IReadOnlyDictionary<string, string>? Identifiers = null);

/// <summary>The outbox of a user grain, grouped by destination in the order first seen. Pure: no grains, no storage.</summary>
public static class UserChanges
{
    /// <param name="userKey">The user.</param>
    /// <param name="outbox">Transitions addressed to destinations, in order.</param>
    /// <param name="traits">The user's traits, for the identifiers connections ask payloads to carry.</param>
    /// <param name="traceParent">The trace context the payloads carry to their requests (null: not traced).</param>
    public static IReadOnlyList<DestinationChanges> Of(
        string userKey, IReadOnlyList<TransitionDelivery> outbox, IReadOnlyDictionary<string, string?>? traits = null, string? traceParent = null)
    {
        if (outbox.Count == 0) return [];
        var changes = new List<DestinationChanges>();
        foreach (var group in outbox.GroupBy(d => d.Connection.DestinationId, StringComparer.Ordinal))
        {
            var deliveries = group.ToList();
            var connection = deliveries[0].Connection;
            var partition = Partitioner.PartitionOf(userKey, connection.DestinationPartitions);
            changes.Add(connection.DestinationKind == DestinationKind.Event
                ? new DestinationChanges(connection, partition, deliveries,
                    deliveries.SelectMany(d => SegmentPayloadBuilder.Build(d.Transition, d.Connection, traceParent, traits)).ToList(), [])
                : ListChanges(connection, partition, ListSteps(connection, deliveries), traits));
        }
        return changes;
    }

    private static DestinationChanges ListChanges(
        ConnectionInfo connection, int partition, List<TransitionDelivery> deliveries, IReadOnlyDictionary<string, string?>? traits) =>
        new(connection, partition, deliveries, [],
            deliveries.GroupBy(d => d.Transition.StepId, StringComparer.Ordinal).Select(step => step.Last().Transition).ToList(),
            ListIdentifiers(connection.Settings, traits));

    /// <summary>A list's changes under the step its members are kept under (the first version's, for a kept key).</summary>
    private static List<TransitionDelivery> ListSteps(ConnectionInfo connection, List<TransitionDelivery> deliveries) =>
        connection.ListStepId is not { } listStepId ? deliveries
        : deliveries.Select(d => d.Transition.StepId == listStepId ? d : d with { Transition = d.Transition with { StepId = listStepId } }).ToList();

    /// <summary>The identifiers a list keeps for the user (beyond userId and anonymousId); null when it keeps none.</summary>
    private static Dictionary<string, string>? ListIdentifiers(ConnectionSettings settings, IReadOnlyDictionary<string, string?>? traits)
    {
        Dictionary<string, string>? identifiers = null;
        foreach (var (name, value) in PayloadIdentifiers.Traits(settings, traits)) (identifiers ??= new(StringComparer.Ordinal))[name] = value;
        return identifiers;
    }
}
