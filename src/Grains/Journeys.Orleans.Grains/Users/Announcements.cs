using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// Which destinations a send step's transition goes to, so that each hears of a membership once, entry before exit:
/// an entry goes to the step's connections of the moment (they are then "told"); a destination connected later is told
/// by <see cref="Announce"/>; an exit goes to those told. Pure: no grains, no storage.
/// </summary>
public static class Announcements
{
    /// <summary>The connections <paramref name="transition"/> goes to; an entry records them as told.</summary>
    public static IReadOnlyList<ConnectionInfo> Addressed(Transition transition, StepMembership? membership, IReadOnlyList<ConnectionInfo> connections)
    {
        if (membership is null) return connections;
        if (transition.Direction == TransitionDirection.Entered)
        {
            membership.Told = connections.Select(c => c.DestinationId).ToList();
            return connections;
        }
        return membership.Told is not { } told ? connections : connections.Where(c => told.Contains(c.DestinationId)).ToList();
    }

    /// <summary>
    /// The "entered" of the user's current membership of <paramref name="stepId"/> for a destination not told of it yet,
    /// recorded as told; null when the user is not in the step, the step is not connected to it, or it was told.
    /// </summary>
    public static TransitionDelivery? Announce(
        UserState state, PublishedCatalog catalog, string spaceId, string userKey, string journeyId, string stepId, string destinationId)
    {
        if (!state.Journeys.TryGetValue(journeyId, out var progress) || !progress.Steps.TryGetValue(stepId, out var membership)
            || !membership.IsMember || membership.Told?.Contains(destinationId) == true)
            return null;
        var connection = JourneyGraph.StepOf(catalog, journeyId, stepId)?.Connections.FirstOrDefault(c => c.DestinationId == destinationId);
        if (connection is null) return null;
        (membership.Told ??= []).Add(destinationId);
        return new TransitionDelivery(EntryOf(state, spaceId, userKey, journeyId, stepId, membership), connection);
    }

    /// <summary>
    /// The "entered" of a current membership, as it was (its epoch, since when; so the message ids it would have had):
    /// told again to a destination that missed it, or to a list whose identifiers for the user changed.
    /// </summary>
    public static Transition EntryOf(UserState state, string spaceId, string userKey, string journeyId, string stepId, StepMembership membership) => new()
    {
        SpaceId = spaceId, JourneyId = journeyId, StepId = stepId, StepKey = membership.StepKey, UserKey = userKey,
        UserId = state.UserId, AnonymousId = state.AnonymousId, Direction = TransitionDirection.Entered, Epoch = membership.Epoch,
        Sequence = state.TransitionSequence, OccurredAt = membership.Since,
    };
}
