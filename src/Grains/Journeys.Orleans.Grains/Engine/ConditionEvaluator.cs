using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Engine;

/// <summary>What a condition is evaluated against.</summary>
/// <param name="User">The user's state.</param>
/// <param name="SinceSequence">Events after this call sequence count for <see cref="EventWindow.SinceStep"/>.</param>
/// <param name="Now">The time, for <see cref="EventWindow.FromNow"/>.</param>
/// <param name="Catalog">The published journeys, for <see cref="ConditionKind.InStep"/>.</param>
public sealed record EvaluationContext(UserState User, long SinceSequence, DateTimeOffset Now, PublishedCatalog? Catalog = null);

/// <summary>Decides whether a user meets a condition, from the tallies and traits the per-user grain keeps.</summary>
public static class ConditionEvaluator
{
    /// <summary>True when the user meets <paramref name="condition"/>.</summary>
    public static bool IsMet(Condition condition, EvaluationContext context) => condition.Kind switch
    {
        ConditionKind.PerformedEvent => PerformedEnough(condition, context),
        ConditionKind.TraitEquals =>
            condition.TraitName is not null
            && context.User.Traits.TryGetValue(condition.TraitName, out var value)
            && string.Equals(value, condition.TraitValue, StringComparison.Ordinal),
        ConditionKind.Trait =>
            condition.TraitName is not null
            && EventPredicates.Compare(context.User.Traits.GetValueOrDefault(condition.TraitName), condition.Comparison, condition.TraitValue),
        ConditionKind.And => condition.Conditions.All(c => IsMet(c, context)),
        ConditionKind.Or => condition.Conditions.Any(c => IsMet(c, context)),
        ConditionKind.Not => condition.Conditions.Count == 1 && !IsMet(condition.Conditions[0], context),
        ConditionKind.InStep => InStep(condition, context),
        _ => false,
    };

    private static bool PerformedEnough(Condition condition, EvaluationContext context)
    {
        context.User.Events.TryGetValue(EventPredicates.Signature(condition), out var tally);
        long performed = 0;
        if (tally is not null)
        {
            performed = condition.Window switch
            {
                EventWindow.Ever => tally.Count,
                EventWindow.FromNow => tally.Recent.Count(o => o.At >= context.Now - (condition.Within ?? TimeSpan.Zero)),
                _ => Math.Max(tally.Recent.Count(o => o.Sequence > context.SinceSequence), tally.LastSequence > context.SinceSequence ? 1 : 0),
            };
        }
        return condition.CountComparison switch
        {
            CountComparison.AtMost => performed <= condition.Count,
            CountComparison.Exactly => performed == condition.Count,
            _ => performed >= Math.Max(condition.Count, 1),
        };
    }

    private static bool InStep(Condition condition, EvaluationContext context) =>
        condition.JourneyId is not null && condition.StepId is not null
        && JourneyEntries.InStep(context.User, condition.JourneyId, condition.StepId);
}
