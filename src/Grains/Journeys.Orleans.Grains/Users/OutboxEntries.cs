using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// What one call adds to a user's outbox: its send-step transitions for the destinations they go to
/// (<see cref="Announcements"/>), refreshed identifiers for the lists that keep changed traits
/// (<see cref="IdentifierRefresh"/>), the step index's changes, and the user's first listing in the space's directory.
/// Pure: no grains, no storage.
/// </summary>
public static class OutboxEntries
{
    public static void Add(
        UserState state, PublishedCatalog catalog, string spaceId, string userKey, IReadOnlyList<Transition> stepMoves,
        IReadOnlySet<string>? changedTraits, ConnectionInfo indexConnection, DateTimeOffset now)
    {
        foreach (var transition in stepMoves)
        {
            if (transition.StepKind != StepKind.SendToDestinations) continue;
            var step = JourneyGraph.Of(catalog.Journeys.First(j => j.Id == transition.JourneyId)).Step(transition.StepId)!;
            var membership = state.Journeys[transition.JourneyId].Steps.GetValueOrDefault(transition.StepId);
            state.Outbox.AddRange(Announcements.Addressed(transition, membership, step.Connections)
                .Select(connection => new TransitionDelivery(transition, connection)));
        }
        if (changedTraits is { Count: > 0 })
            state.Outbox.AddRange(IdentifierRefresh.Of(state, catalog, spaceId, userKey, changedTraits));
        state.Outbox.AddRange(StepIndexChanges.Of(stepMoves, indexConnection));
        if (state.Listed) return;
        // The space's user directory, which a backfill walks; written through the outbox like any other change.
        state.Listed = true;
        state.Outbox.Add(new TransitionDelivery(
            new Transition
            {
                SpaceId = spaceId, StepId = GrainKeys.UserDirectoryStep, UserKey = userKey, UserId = state.UserId,
                AnonymousId = state.AnonymousId, Epoch = 1, OccurredAt = now,
            },
            indexConnection));
    }
}
