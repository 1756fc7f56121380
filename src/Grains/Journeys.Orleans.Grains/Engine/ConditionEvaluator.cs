using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Engine;

/// <summary>Decides whether a user meets a condition.</summary>
public static class ConditionEvaluator
{
    /// <summary>
    /// True when <paramref name="user"/> meets <paramref name="condition"/>. A performed-event condition counts
    /// only events after <paramref name="sinceSequence"/>: the user must act after reaching their position.
    /// </summary>
    public static bool IsMet(Condition condition, UserState user, long sinceSequence) => condition.Kind switch
    {
        ConditionKind.PerformedEvent =>
            condition.EventName is not null
            && user.Events.TryGetValue(condition.EventName, out var tally)
            && tally.LastSequence > sinceSequence,
        ConditionKind.TraitEquals =>
            condition.TraitName is not null
            && user.Traits.TryGetValue(condition.TraitName, out var value)
            && string.Equals(value, condition.TraitValue, StringComparison.Ordinal),
        _ => false,
    };
}
