using Journeys.Orleans.Model;

namespace Journeys.Orleans.Users;

/// <summary>
/// What the space's index of users per step (and its user directory) must learn from one call of a user. Written through
/// the user's outbox like a list destination's changes, to the index's own member set. Pure.
/// </summary>
public static class StepIndexChanges
{
    /// <summary>
    /// Per step, only the net change: a user who passed through a split in this call is not written in and out of
    /// its index; one who left and entered the same step again is removed at the old epoch and added at the new.
    /// </summary>
    public static IEnumerable<TransitionDelivery> Of(IEnumerable<Transition> stepMoves, ConnectionInfo index)
    {
        foreach (var moves in stepMoves.GroupBy(t => (t.JourneyId, t.StepId)))
        {
            var first = moves.First();
            var last = moves.Last();
            var wasIn = first.Direction == TransitionDirection.Exited;
            var isIn = last.Direction == TransitionDirection.Entered;
            if (wasIn == isIn && (!isIn || first.Epoch == last.Epoch)) continue;
            if (wasIn && isIn) yield return new TransitionDelivery(first, index);
            yield return new TransitionDelivery(last, index);
        }
    }

    /// <summary>The connection to one of the service's own member sets: a list synced nowhere.</summary>
    public static ConnectionInfo IndexConnection(string memberSetId, int partitions) => new()
    {
        DestinationId = memberSetId,
        DestinationName = memberSetId,
        DestinationKind = DestinationKind.List,
        DestinationPartitions = partitions,
        ChangesUnsynced = true,
    };
}
