using Journeys.Orleans.Domain;
using Journeys.Orleans.Engine;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>A payload a user's path shows: which transition made it, for which connection, and where to ask about it.</summary>
public sealed record PathPayload(Transition Transition, ConnectionInfo Connection, CallType CallType, string MessageId, string Partition);

/// <summary>
/// A user's path (<see cref="UserPath"/>) from the transitions the user keeps: visits pair each entry with its exit,
/// and a send step's entry and exit list the payloads they made for the event destinations connected to it now.
/// <see cref="AskAsync"/> asks the destination partitions about <see cref="Payloads"/>; the rest is pure.
/// </summary>
public static class UserPaths
{
    /// <summary>Where each payload stands, by message id: one call per destination partition, all at once.</summary>
    public static async Task<IReadOnlyDictionary<string, PayloadOutcome>> AskAsync(IGrainFactory grains, string userKey, IReadOnlyList<PathPayload> payloads)
    {
        var answers = await Task.WhenAll(payloads.GroupBy(p => p.Partition).Select(partition =>
            grains.Get<IEventDeliveryGrain>(partition.Key).GetOutcomesAsync(userKey, partition.Select(p => p.MessageId).ToList())));
        return answers.SelectMany(a => a).ToDictionary(o => o.MessageId, StringComparer.Ordinal);
    }

    public static IReadOnlyList<PathPayload> Payloads(string userKey, UserState state, PublishedCatalog catalog) =>
        state.RecentTransitions.Where(t => t.StepKind == StepKind.SendToDestinations)
            .SelectMany(transition => PayloadsOf(userKey, transition, catalog))
            .ToList();

    /// <param name="spaceId">The user's space.</param>
    /// <param name="userKey">The user.</param>
    /// <param name="state">The user's state: its kept transitions and its outbox.</param>
    /// <param name="payloads">The user's <see cref="Payloads"/>, as asked about.</param>
    /// <param name="outcomes">The partitions' answers, by message id.</param>
    public static UserPath Of(
        string spaceId, string userKey, UserState state, IReadOnlyList<PathPayload> payloads, IReadOnlyDictionary<string, PayloadOutcome> outcomes)
    {
        var byTransition = payloads.ToLookup(p => p.Transition);
        var journeys = new List<(string JourneyId, List<Draft> Visits)>();
        var open = new Dictionary<(string Journey, string Step, int Epoch), Draft>();
        foreach (var transition in state.RecentTransitions.OrderBy(t => t.Sequence))
        {
            var key = (transition.JourneyId, transition.StepId, transition.Epoch);
            if (transition.Direction == TransitionDirection.Exited && open.Remove(key, out var visit))
            {
                visit.Exit = transition;
                continue;
            }
            visit = new Draft(transition);
            if (transition.Direction == TransitionDirection.Entered) open[key] = visit;
            else visit.Exit = transition; // entered before the transitions kept
            var journey = journeys.FirstOrDefault(j => j.JourneyId == transition.JourneyId);
            if (journey.Visits is null) journeys.Add(journey = (transition.JourneyId, []));
            journey.Visits.Add(visit);
        }

        return new UserPath(spaceId, userKey, journeys.Select(j => new JourneyPath(j.JourneyId, j.Visits.Select(Visit).ToList())).ToList());

        StepVisit Visit(Draft visit)
        {
            var transitions = new[] { visit.Entry, visit.Exit }.OfType<Transition>();
            var sends = transitions.SelectMany(t => byTransition[t]).Select(p => new PathSend(
                p.Connection.DestinationId, p.Connection.DestinationName, p.Transition.Direction, p.CallType, Outcome(p))).ToList();
            var first = visit.Entry ?? visit.Exit!;
            return new StepVisit(first.StepId, first.StepKey, first.StepKind, first.Epoch, visit.Entry?.OccurredAt, visit.Exit?.OccurredAt, sends);
        }

        PayloadOutcome Outcome(PathPayload payload) =>
            state.Outbox.Any(d => d.Transition.Sequence == payload.Transition.Sequence && d.Connection.DestinationId == payload.Connection.DestinationId)
                ? new PayloadOutcome(payload.MessageId, PayloadState.Waiting)
                : outcomes.GetValueOrDefault(payload.MessageId) ?? new PayloadOutcome(payload.MessageId, PayloadState.Unknown);
    }

    private static readonly CallType[] CallTypes = [CallType.Track, CallType.Identify];

    private static IEnumerable<PathPayload> PayloadsOf(string userKey, Transition transition, PublishedCatalog catalog)
    {
        if (JourneyGraph.StepOf(catalog, transition.JourneyId, transition.StepId) is not { } step) yield break;
        foreach (var connection in step.Connections.Where(c => c.DestinationKind == DestinationKind.Event))
        {
            var partition = GrainKeys.DestinationPartition(connection.DestinationId, Partitioner.PartitionOf(userKey, connection.DestinationPartitions));
            foreach (var callType in CallTypes)
                if (SegmentPayloadBuilder.Sends(transition, connection, callType))
                    yield return new PathPayload(transition, connection, callType, MessageIds.For(transition, connection.DestinationId, callType), partition);
        }
    }

    /// <summary>A visit being put together: its entry (null when older than the kept transitions) and its exit, once seen.</summary>
    private sealed class Draft(Transition? entry)
    {
        public Transition? Entry { get; } = entry?.Direction == TransitionDirection.Entered ? entry : null;

        public Transition? Exit { get; set; }
    }
}
