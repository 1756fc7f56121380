using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>A whole journey document is checked on save, with a precise error for each problem.</summary>
public sealed class JourneyDocumentRulesTests
{
    private static StepDocument Send(string reference, string? next = null) =>
        new() { Step = new StepDefinition { Name = $"Send {reference}", Ref = reference, Kind = StepKind.SendToDestinations, Next = next } };

    private static StepDocument Split(string reference, StepKind kind, params StepBranch[] branches) => new()
    {
        Step = new StepDefinition
        {
            Name = $"Split {reference}", Ref = reference, Kind = kind, Branches = branches,
            Condition = kind == StepKind.TrueFalseSplit ? Condition.TraitIs("plan", "pro") : null,
        },
    };

    private static StepBranch To(string next, int? percent = null) => new() { Name = next, Next = next, Percent = percent };

    private static JourneyDocument Document(params StepDocument[] steps) =>
        new() { Journey = new JourneyDefinition { Name = "Onboarding", EntryCondition = Condition.Performed("Signed Up") }, Steps = steps };

    private static JourneysValidationException Refused(JourneyDocument document) =>
        Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(document));

    [Fact]
    public void A_valid_graph_with_splits_and_a_merge_passes()
    {
        DefinitionRules.Check(Document(
            Split("split", StepKind.RandomizedSplit, To("a", 50), To("b", 50)),
            Send("a", next: "merge"),
            Send("b", next: "merge"),
            Send("merge")));
    }

    [Fact]
    public void A_reference_to_an_unknown_step_is_refused()
    {
        var error = Refused(Document(Send("a", next: "nowhere")));
        Assert.Equal("steps[0].next", error.Field);
        Assert.Contains("unknown step \"nowhere\"", error.Reason);

        var branch = Refused(Document(Split("s", StepKind.TrueFalseSplit, To("a"), To("missing")), Send("a")));
        Assert.Equal("steps[0].branches[1].next", branch.Field);
    }

    [Fact]
    public void A_cycle_is_refused()
    {
        var error = Refused(Document(Send("a", next: "b"), Send("b", next: "c"), Send("c", next: "a")));
        Assert.Equal("steps[2]", error.Field);
        Assert.Contains("cycle", error.Reason);
    }

    [Fact]
    public void Randomized_percentages_must_sum_to_100()
    {
        var error = Refused(Document(Split("s", StepKind.RandomizedSplit, To("a", 50), To("b", 40)), Send("a"), Send("b")));
        Assert.Equal("steps[0].branches", error.Field);
        Assert.Contains("sum to 100 (got 90)", error.Reason);

        Assert.Equal("steps[0].branches[1].percent",
            Refused(Document(Split("s", StepKind.RandomizedSplit, To("a", 100), To("b", 0)), Send("a"), Send("b"))).Field);
    }

    [Fact]
    public void An_empty_branch_is_refused()
    {
        var error = Refused(Document(Split("s", StepKind.TrueFalseSplit, To("a"), new StepBranch { Name = "false", Next = "" }), Send("a")));
        Assert.Equal("steps[0].branches[1].next", error.Field);
        Assert.Contains("empty", error.Reason);

        Assert.Equal("steps[0].branches",
            Refused(Document(Split("s", StepKind.TrueFalseSplit, To("a")), Send("a"))).Field);
    }

    [Fact]
    public void Names_are_at_most_73_characters_for_a_journey_and_170_for_a_step()
    {
        var journey = Refused(Document(Send("a")) with { Journey = new JourneyDefinition { Name = new string('j', 74), EntryCondition = Condition.Performed("A") } });
        Assert.Equal("name", journey.Field);
        Assert.Contains("73", journey.Reason);
        DefinitionRules.Check(Document(Send("a")) with { Journey = new JourneyDefinition { Name = new string('j', 73), EntryCondition = Condition.Performed("A") } });

        var step = Refused(Document(new StepDocument { Step = Send("a").Step with { Name = new string('s', 171) } }));
        Assert.Equal("steps[0].name", step.Field);
        Assert.Contains("170", step.Reason);
    }

    [Fact]
    public void More_than_100_steps_are_refused()
    {
        var steps = Enumerable.Range(0, 101).Select(i => Send($"s{i}")).ToArray();
        var error = Refused(Document(steps));
        Assert.Equal("steps", error.Field);
        Assert.Contains("100", error.Reason);
        DefinitionRules.Check(Document(steps[..100]));
    }

    [Fact]
    public void Refs_are_unique_and_end_is_reserved()
    {
        Assert.Equal("steps[1].ref", Refused(Document(Send("a"), Send("a"))).Field);
        Assert.Equal("steps[0].ref", Refused(Document(Send(StepRefs.End))).Field);
    }

    [Fact]
    public void Timeouts_belong_to_condition_steps_and_a_timeout_branch_needs_a_timeout()
    {
        var wait = new StepDefinition { Name = "Wait", Ref = "wait", Kind = StepKind.Condition, Condition = Condition.Performed("B") };
        Assert.Equal("steps[0].timeoutNext",
            Refused(Document(new StepDocument { Step = wait with { TimeoutNext = "a" } }, Send("a"))).Field);
        Assert.Equal("steps[0].timeout",
            Refused(Document(new StepDocument { Step = Send("x").Step with { Timeout = TimeSpan.FromHours(1) } })).Field);
        Assert.Equal("steps[0].timeoutNext",
            Refused(Document(new StepDocument { Step = wait with { Timeout = TimeSpan.FromHours(1), TimeoutNext = "ghost" } }, Send("a"))).Field);
    }

    [Fact]
    public void A_multi_branch_split_has_at_most_one_branch_without_a_condition()
    {
        var error = Refused(Document(Split("s", StepKind.MultiBranchSplit, To("a"), To("b")), Send("a"), Send("b")));
        Assert.Equal("steps[0].branches", error.Field);
    }

    [Fact]
    public void An_exit_match_property_needs_an_exit_condition()
    {
        var error = Refused(Document(Send("a")) with
        {
            Journey = new JourneyDefinition { Name = "J", EntryCondition = Condition.Performed("A"), ExitMatchProperty = "order_id" },
        });
        Assert.Equal("exitMatchProperty", error.Field);
    }
}
