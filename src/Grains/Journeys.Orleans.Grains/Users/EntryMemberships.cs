using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// What member sets (list destinations, the space's step index) learn from the entries of event-triggered journeys. A
/// set holds a user once per step, however many of their entries are in it: the user is added when their first entry
/// arrives and removed when their last one leaves. An addition carries the epoch of the newest entry inside, a removal
/// the user's latest entry number, which no addition before it exceeds, so neither is undone by an older change. Pure.
/// </summary>
public static class EntryMemberships
{
    /// <summary>Per step of an event-triggered journey that one call's moves touched: the user's net change, if any.</summary>
    public static IEnumerable<Transition> NetChanges(UserState state, IEnumerable<Transition> stepMoves)
    {
        foreach (var moves in stepMoves.Where(t => t.Entry > 0).GroupBy(t => (t.JourneyId, t.StepId)))
        {
            var (journeyId, stepId) = moves.Key;
            var inside = state.Entries.Values
                .Where(e => e.JourneyId == journeyId && e.Steps.TryGetValue(stepId, out var m) && m.IsMember)
                .Select(e => e.Steps[stepId].Epoch)
                .ToList();
            var before = inside.Count - moves.Count(t => t.Direction == TransitionDirection.Entered) + moves.Count(t => t.Direction == TransitionDirection.Exited);
            var last = moves.Last();
            if (before <= 0 && inside.Count > 0)
                yield return last with { Direction = TransitionDirection.Entered, Epoch = inside.Max(), Context = null };
            else if (before > 0 && inside.Count == 0)
                yield return last with { Direction = TransitionDirection.Exited, Epoch = state.LatestEntry, Context = null };
        }
    }
}
