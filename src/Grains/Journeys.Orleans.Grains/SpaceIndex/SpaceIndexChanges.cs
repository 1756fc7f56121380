using Journeys.Orleans.Model;

namespace Journeys.Orleans.SpaceIndex;

/// <summary>
/// What the space's index (<see cref="ISpaceIndex"/>) must learn from one call of a user: the user's net moves in and out
/// of steps, and their first listing in the space's user directory. Committed with the user's state; pure.
/// </summary>
public static class SpaceIndexChanges
{
    /// <summary>
    /// Per step, only the net change: a user who passed through a split in this call is not written in and out of
    /// the index; one who left and entered the same step again is removed at the old epoch and added at the new.
    /// </summary>
    public static IEnumerable<Transition> Of(IEnumerable<Transition> stepMoves)
    {
        foreach (var moves in stepMoves.GroupBy(t => (t.JourneyId, t.StepId)))
        {
            var first = moves.First();
            var last = moves.Last();
            var wasIn = first.Direction == TransitionDirection.Exited;
            var isIn = last.Direction == TransitionDirection.Entered;
            if (wasIn == isIn && (!isIn || first.Epoch == last.Epoch)) continue;
            if (wasIn && isIn) yield return first;
            yield return last;
        }
    }

    /// <summary>The user's row in (or, <paramref name="direction"/> Exited, out of) the space's user directory.</summary>
    public static Transition Directory(
        string spaceId, string userKey, string? userId, string? anonymousId, DateTimeOffset now,
        TransitionDirection direction = TransitionDirection.Entered) => new()
    {
        SpaceId = spaceId, StepId = GrainKeys.UserDirectoryStep, UserKey = userKey, UserId = userId, AnonymousId = anonymousId,
        Direction = direction, Epoch = 1, OccurredAt = now,
    };
}
