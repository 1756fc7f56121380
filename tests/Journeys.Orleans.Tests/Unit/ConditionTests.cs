using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Every condition operator, each with a case that would fail if it were ignored.</summary>
public sealed class ConditionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private sealed class Subject(params Condition[] conditions)
    {
        public UserState User { get; } = new();

        private readonly PublishedCatalog _catalog = new()
        {
            SpaceId = "spa_default",
            Version = 1,
            Journeys = [new JourneyInfo
            {
                Id = "jny_1", SpaceId = "spa_default", Status = JourneyStatus.Published,
                EntryCondition = Condition.All(conditions),
                Steps = [new StepInfo { Id = "stp_a", Kind = StepKind.SendToDestinations }, new StepInfo { Id = "stp_b", Kind = StepKind.SendToDestinations }],
            }],
        };

        public PublishedCatalog Catalog => _catalog;

        public Subject Track(string name, DateTimeOffset at, params (string Key, string? Value)[] properties)
        {
            JourneyEngine.ApplyTrack(User, new TrackEvent
            {
                UserId = "u1", Event = name, Timestamp = at, Properties = properties.ToDictionary(p => p.Key, p => p.Value),
            }, at, _catalog);
            return this;
        }

        public Subject Trait(string name, string? value)
        {
            JourneyEngine.ApplyIdentify(User, new IdentifyEvent { UserId = "u1", Traits = new Dictionary<string, string?> { [name] = value } });
            return this;
        }

        public bool Meets(Condition condition, long since = 0, DateTimeOffset? now = null) =>
            ConditionEvaluator.IsMet(condition, new EvaluationContext(User, since, now ?? Start.AddHours(1), _catalog));
    }

    [Theory]
    [InlineData(Comparison.Equals, "gold", true)]
    [InlineData(Comparison.Equals, "silver", false)]
    [InlineData(Comparison.NotEquals, "silver", true)]
    [InlineData(Comparison.NotEquals, "gold", false)]
    [InlineData(Comparison.Contains, "ol", true)]
    [InlineData(Comparison.Contains, "xx", false)]
    [InlineData(Comparison.Exists, null, true)]
    public void Property_filters_compare_text(Comparison comparison, string? value, bool expected)
    {
        var condition = Condition.Performed("Order Completed", new PropertyFilter("tier", comparison, value));
        var subject = new Subject(condition).Track("Order Completed", Start, ("tier", "gold"));

        Assert.Equal(expected, subject.Meets(condition));
    }

    [Theory]
    [InlineData(Comparison.GreaterThan, "99.5", true)]
    [InlineData(Comparison.GreaterThan, "100", false)]
    [InlineData(Comparison.LessThan, "100.5", true)]
    [InlineData(Comparison.LessThan, "100", false)]
    [InlineData(Comparison.Equals, "100.0", true)]
    public void Property_filters_compare_numbers_as_numbers(Comparison comparison, string value, bool expected)
    {
        var condition = Condition.Performed("Order Completed", new PropertyFilter("total", comparison, value));
        var subject = new Subject(condition).Track("Order Completed", Start, ("total", "100"));

        Assert.Equal(expected, subject.Meets(condition));
    }

    [Fact]
    public void A_missing_property_fails_every_filter_but_not_equals()
    {
        var exists = Condition.Performed("A", new PropertyFilter("coupon", Comparison.Exists));
        var notEquals = Condition.Performed("A", new PropertyFilter("coupon", Comparison.NotEquals, "X"));
        var subject = new Subject(exists, notEquals).Track("A", Start);

        Assert.False(subject.Meets(exists));
        Assert.True(subject.Meets(notEquals));
    }

    [Theory]
    [InlineData(CountComparison.AtLeast, 3, true)]
    [InlineData(CountComparison.AtLeast, 4, false)]
    [InlineData(CountComparison.AtMost, 3, true)]
    [InlineData(CountComparison.AtMost, 2, false)]
    [InlineData(CountComparison.Exactly, 3, true)]
    [InlineData(CountComparison.Exactly, 2, false)]
    public void Counts_compare_the_number_of_matching_events(CountComparison comparison, int count, bool expected)
    {
        var condition = Condition.Performed("Login") with { CountComparison = comparison, Count = count, Window = EventWindow.Ever };
        var subject = new Subject(condition);
        for (var i = 0; i < 3; i++) subject.Track("Login", Start.AddMinutes(i));

        Assert.Equal(expected, subject.Meets(condition));
    }

    [Fact]
    public void A_window_from_now_counts_only_recent_events()
    {
        var condition = Condition.Performed("Login") with { Count = 2, Window = EventWindow.FromNow, Within = TimeSpan.FromMinutes(30) };
        var subject = new Subject(condition).Track("Login", Start).Track("Login", Start.AddMinutes(50));

        Assert.False(subject.Meets(condition, now: Start.AddMinutes(55)));
        subject.Track("Login", Start.AddMinutes(54));
        Assert.True(subject.Meets(condition, now: Start.AddMinutes(55)));
        Assert.False(subject.Meets(condition, now: Start.AddHours(3)));
    }

    [Fact]
    public void A_window_since_the_step_counts_only_events_after_arriving()
    {
        var condition = Condition.Performed("Login") with { Count = 2 };
        var subject = new Subject(condition).Track("Login", Start).Track("Login", Start.AddMinutes(1));
        var arrived = subject.User.EventSequence;
        subject.Track("Login", Start.AddMinutes(2));

        Assert.True(subject.Meets(condition, since: 0));
        Assert.False(subject.Meets(condition, since: arrived));
        subject.Track("Login", Start.AddMinutes(3));
        Assert.True(subject.Meets(condition, since: arrived));
    }

    [Fact]
    public void Filtered_counts_count_only_matching_events()
    {
        var condition = Condition.Performed("Order Completed", new PropertyFilter("total", Comparison.GreaterThan, "50")) with { Count = 2, Window = EventWindow.Ever };
        var subject = new Subject(condition)
            .Track("Order Completed", Start, ("total", "80"))
            .Track("Order Completed", Start.AddMinutes(1), ("total", "20"))
            .Track("Order Completed", Start.AddMinutes(2), ("total", "10"));

        Assert.False(subject.Meets(condition));
        subject.Track("Order Completed", Start.AddMinutes(3), ("total", "51"));
        Assert.True(subject.Meets(condition));
    }

    [Theory]
    [InlineData(Comparison.Equals, "pro", true)]
    [InlineData(Comparison.NotEquals, "pro", false)]
    [InlineData(Comparison.Contains, "r", true)]
    [InlineData(Comparison.Exists, null, true)]
    public void Trait_comparisons(Comparison comparison, string? value, bool expected)
    {
        var condition = Condition.TraitCompares("plan", comparison, value);
        var subject = new Subject(condition).Trait("plan", "pro");

        Assert.Equal(expected, subject.Meets(condition));
        Assert.Equal(comparison == Comparison.NotEquals, new Subject(condition).Meets(condition));
    }

    [Fact]
    public void Numeric_trait_comparisons()
    {
        var older = Condition.TraitCompares("age", Comparison.GreaterThan, "30");
        var subject = new Subject(older).Trait("age", "42");

        Assert.True(subject.Meets(older));
        Assert.False(subject.Meets(Condition.TraitCompares("age", Comparison.LessThan, "18")));
    }

    [Fact]
    public void And_or_and_not_compose()
    {
        var pro = Condition.TraitIs("plan", "pro");
        var bought = Condition.Performed("Order Completed") with { Window = EventWindow.Ever };
        var subject = new Subject(pro, bought).Trait("plan", "pro");

        Assert.False(subject.Meets(Condition.All(pro, bought)));
        Assert.True(subject.Meets(Condition.Any(pro, bought)));
        Assert.True(subject.Meets(Condition.NotThat(bought)));
        subject.Track("Order Completed", Start);
        Assert.True(subject.Meets(Condition.All(pro, bought)));
        Assert.False(subject.Meets(Condition.NotThat(bought)));
        Assert.False(subject.Meets(Condition.All(pro, Condition.NotThat(pro))));
    }

    [Fact]
    public void In_step_holds_while_the_user_is_at_that_step()
    {
        var condition = new Condition { Kind = ConditionKind.InStep, JourneyId = "jny_1", StepId = "stp_b" };
        var subject = new Subject(condition);
        var progress = subject.User.Journeys["jny_1"] = new JourneyProgress();
        progress.Steps["stp_a"] = new StepMembership { IsMember = true };

        Assert.False(subject.Meets(condition));
        progress.Steps["stp_b"] = new StepMembership { IsMember = true };
        Assert.True(subject.Meets(condition));
        progress.Exited = true;
        Assert.False(subject.Meets(condition));
    }

    [Fact]
    public void A_tally_keeps_only_as_many_occurrences_as_conditions_count()
    {
        var condition = Condition.Performed("Login") with { Count = 3, Window = EventWindow.FromNow, Within = TimeSpan.FromDays(1) };
        var subject = new Subject(condition);
        for (var i = 0; i < 50; i++) subject.Track("Login", Start.AddMinutes(i));

        Assert.Equal(4, subject.User.Events["Login"].Recent.Count);
        Assert.Equal(50, subject.User.Events["Login"].Count);
    }

    [Theory]
    [InlineData("conditions")]
    [InlineData("count")]
    [InlineData("within")]
    [InlineData("filter")]
    [InlineData("number")]
    [InlineData("not")]
    public void Invalid_conditions_are_refused_with_the_field(string problem)
    {
        var condition = problem switch
        {
            "conditions" => Condition.All(),
            "count" => Condition.Performed("A") with { Count = 101 },
            "within" => Condition.Performed("A") with { Window = EventWindow.FromNow },
            "filter" => Condition.Performed("A", new PropertyFilter("", Comparison.Equals, "x")),
            "number" => Condition.TraitCompares("age", Comparison.GreaterThan, "old"),
            _ => new Condition { Kind = ConditionKind.Not, Conditions = [Condition.Performed("A"), Condition.Performed("B")] },
        };

        var error = Assert.Throws<JourneysValidationException>(() => Journeys.Orleans.Domain.DefinitionRules.Check(
            new JourneyDefinition { Name = "J", EntryCondition = condition }));

        Assert.StartsWith("entryCondition", error.Field);
    }
}
