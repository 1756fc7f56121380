using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>
/// Definitions compare by value, lists inside them element by element: a step read back from its grain equals the
/// same step in a document, which is how an unchanged step keeps its key when a draft's steps are replaced.
/// </summary>
public sealed class DefinitionEqualityTests
{
    private static StepDefinition Split(string proNext = "pro") => new()
    {
        Name = "Plan?", Ref = "plan", Kind = StepKind.MultiBranchSplit,
        Branches =
        [
            new StepBranch { Name = "pro", Condition = Condition.All(Condition.TraitIs("plan", "pro"), Condition.Performed("Paid", new PropertyFilter("amount", Comparison.GreaterThan, "10"))), Next = proNext },
            new StepBranch { Name = "rest", Next = "rest" },
        ],
    };

    [Fact]
    public void Two_definitions_built_apart_with_equal_lists_are_equal()
    {
        Assert.Equal(Split(), Split());
        Assert.True(Split() == Split());
        Assert.Equal(Split().GetHashCode(), Split().GetHashCode());
        Assert.Equal(Split(), Split() with { Branches = Split().Branches.ToArray() });
    }

    [Fact]
    public void A_difference_deep_inside_a_list_makes_them_differ()
    {
        var filter = Split() with
        {
            Branches = [Split().Branches[0] with { Condition = Condition.All(Condition.TraitIs("plan", "pro"), Condition.Performed("Paid", new PropertyFilter("amount", Comparison.GreaterThan, "20"))) }, Split().Branches[1]],
        };

        Assert.NotEqual(Split(), Split("elsewhere"));
        Assert.NotEqual(Split(), filter);
        Assert.NotEqual(Split(), Split() with { Branches = [Split().Branches[0]] });
        Assert.NotEqual(Condition.Performed("A"), Condition.Performed("A") with { Conditions = [Condition.Performed("B")] });
    }

    [Fact]
    public void Journey_definitions_compare_their_conditions_by_value()
    {
        JourneyDefinition Make() => new() { Name = "J", EntryCondition = Condition.Any(Condition.Performed("A"), Condition.Performed("B")) };

        Assert.Equal(Make(), Make());
        Assert.NotEqual(Make(), Make() with { EntryCondition = Condition.Any(Condition.Performed("A")) });
    }
}
