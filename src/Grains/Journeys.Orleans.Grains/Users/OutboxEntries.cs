using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.SpaceIndex;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// What one call adds to a user's outbox: its send-step transitions for the destinations they go to
/// (<see cref="Announcements"/>), refreshed identifiers for the lists that keep changed traits
/// (<see cref="IdentifierRefresh"/>); and what the space's index learns (<see cref="SpaceIndexChanges"/>): the net step
/// changes, and the user's first listing in the space's directory. Pure: no grains, no storage.
/// </summary>
public static class OutboxEntries
{
    public static void Add(
        UserState state, PublishedCatalog catalog, string spaceId, string userKey, IReadOnlyList<Transition> stepMoves,
        IReadOnlySet<string>? changedTraits, DateTimeOffset now)
    {
        foreach (var transition in stepMoves)
        {
            if (transition.StepKind != StepKind.SendToDestinations) continue;
            var step = StepOf(catalog, transition);
            var membership = JourneyEntries.ProgressOf(state, transition).Steps.GetValueOrDefault(transition.StepId);
            var connections = Announcements.Addressed(transition, membership, step.Connections);
            // An entry of an event-triggered journey is told to event destinations as it is; member sets hear of the
            // user's net change below.
            foreach (var connection in connections)
                if (transition.Entry == 0 || connection.DestinationKind == DestinationKind.Event)
                    state.Outbox.Add(new TransitionDelivery(transition, connection));
        }
        var ofEntries = stepMoves.Any(t => t.Entry > 0);
        var entryChanges = ofEntries ? EntryMemberships.NetChanges(state, stepMoves).ToList() : [];
        foreach (var change in entryChanges)
        {
            if (change.StepKind != StepKind.SendToDestinations) continue;
            foreach (var connection in StepOf(catalog, change).Connections)
                if (connection.DestinationKind == DestinationKind.List) state.Outbox.Add(new TransitionDelivery(change, connection));
        }
        if (changedTraits is { Count: > 0 })
            state.Outbox.AddRange(IdentifierRefresh.Of(state, catalog, spaceId, userKey, changedTraits));
        state.IndexChanges.AddRange(SpaceIndexChanges.Of(ofEntries ? stepMoves.Where(t => t.Entry == 0).Concat(entryChanges) : stepMoves));
        if (state.Listed) return;
        // The space's user directory, which a backfill walks.
        state.Listed = true;
        state.IndexChanges.Add(SpaceIndexChanges.Directory(spaceId, userKey, state.UserId, state.AnonymousId, now));
    }

    private static StepInfo StepOf(PublishedCatalog catalog, Transition transition) =>
        JourneyGraph.StepOf(catalog, transition.JourneyId, transition.StepId)!;
}
