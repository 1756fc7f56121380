using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Tests.Unit;

public sealed class JourneyEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static StepInfo Send(string id, ExitBehaviour exit = ExitBehaviour.OnStepLeave) =>
        new() { Id = id, Key = $"j_o_j__{id}_abcdef", Kind = StepKind.SendToDestinations, ExitBehaviour = exit };

    private static StepInfo Wait(string id, Condition condition) =>
        new() { Id = id, Key = $"j_o_j__{id}_abcdef", Kind = StepKind.Condition, Condition = condition };

    private static PublishedCatalog Catalog(Condition entry, params StepInfo[] steps) => new()
    {
        SpaceId = "spa_default",
        Version = 1,
        Journeys = [new JourneyInfo { Id = "jny_1", SpaceId = "spa_default", Name = "J", EntryCondition = entry, Status = JourneyStatus.Published, Steps = steps }],
    };

    private static IReadOnlyList<Transition> Track(UserState user, PublishedCatalog catalog, string name)
    {
        JourneyEngine.ApplyTrack(user, new TrackEvent { UserId = "u1", Event = name }, Now, catalog);
        return JourneyEngine.Advance(user, catalog, "u:u1", Now);
    }

    private static IReadOnlyList<Transition> Identify(UserState user, PublishedCatalog catalog, string trait, string? value)
    {
        JourneyEngine.ApplyIdentify(user, new IdentifyEvent { UserId = "u1", Traits = new Dictionary<string, string?> { [trait] = value } });
        return JourneyEngine.Advance(user, catalog, "u:u1", Now);
    }

    [Fact]
    public void Entry_then_the_step_condition_enters_the_send_step()
    {
        var catalog = Catalog(Condition.Performed("Order Completed"), Wait("wait", Condition.Performed("Email Opened")), Send("send"));
        var user = new UserState();

        Assert.Empty(Track(user, catalog, "Order Completed"));
        var transitions = Track(user, catalog, "Email Opened");

        var entered = Assert.Single(transitions);
        Assert.Equal(TransitionDirection.Entered, entered.Direction);
        Assert.Equal("send", entered.StepId);
        Assert.Equal(1, entered.Epoch);
        Assert.Equal("u1", entered.UserId);
    }

    [Fact]
    public void The_step_condition_counts_only_events_after_the_user_reached_the_step()
    {
        var catalog = Catalog(Condition.Performed("Order Completed"), Wait("wait", Condition.Performed("Email Opened")), Send("send"));
        var user = new UserState();

        Assert.Empty(Track(user, catalog, "Email Opened"));
        Assert.Empty(Track(user, catalog, "Order Completed"));
        Assert.Single(Track(user, catalog, "Email Opened"));
    }

    [Fact]
    public void The_entering_event_does_not_also_pass_a_condition_on_the_same_event()
    {
        var catalog = Catalog(Condition.Performed("Order Completed"), Wait("again", Condition.Performed("Order Completed")), Send("send"));
        var user = new UserState();

        Assert.Empty(Track(user, catalog, "Order Completed"));
        Assert.Single(Track(user, catalog, "Order Completed"));
    }

    [Fact]
    public void A_trait_condition_holds_while_the_trait_has_the_value()
    {
        var catalog = Catalog(Condition.Performed("Signed Up"), Wait("pro", Condition.TraitIs("plan", "pro")), Send("send"));
        var user = new UserState();

        Assert.Empty(Track(user, catalog, "Signed Up"));
        Assert.Empty(Identify(user, catalog, "plan", "free"));
        Assert.Single(Identify(user, catalog, "plan", "pro"));
    }

    [Fact]
    public void A_trait_entry_condition_enters_on_identify()
    {
        var catalog = Catalog(Condition.TraitIs("vip", "true"), Send("send"));
        var user = new UserState();

        Assert.Empty(Identify(user, catalog, "vip", "false"));
        Assert.Single(Identify(user, catalog, "vip", "true"));
    }

    [Fact]
    public void Moving_on_to_a_following_step_exits_the_send_step_by_default()
    {
        var catalog = Catalog(Condition.Performed("A"), Send("first"), Wait("wait", Condition.Performed("B")), Send("second"));
        var user = new UserState();

        Assert.Equal(["first:Entered"], Describe(Track(user, catalog, "A")));
        Assert.Equal(["first:Exited", "second:Entered"], Describe(Track(user, catalog, "B")));
        Assert.False(user.Journeys["jny_1"].Steps["first"].IsMember);
        Assert.True(user.Journeys["jny_1"].Steps["second"].IsMember);
    }

    [Theory]
    [InlineData(ExitBehaviour.OnJourneyExit)]
    [InlineData(ExitBehaviour.Never)]
    public void Other_exit_behaviours_keep_the_membership_when_moving_on(ExitBehaviour exit)
    {
        var catalog = Catalog(Condition.Performed("A"), Send("first", exit), Wait("wait", Condition.Performed("B")), Send("second"));
        var user = new UserState();

        Track(user, catalog, "A");
        Assert.Equal(["second:Entered"], Describe(Track(user, catalog, "B")));
        Assert.True(user.Journeys["jny_1"].Steps["first"].IsMember);
    }

    [Fact]
    public void Repeated_events_never_enter_twice()
    {
        var catalog = Catalog(Condition.Performed("A"), Send("send"));
        var user = new UserState();

        Assert.Single(Track(user, catalog, "A"));
        Assert.Empty(Track(user, catalog, "A"));
        Assert.Empty(Track(user, catalog, "A"));
    }

    [Fact]
    public void Draft_journeys_move_nobody()
    {
        var catalog = Catalog(Condition.Performed("A"), Send("send"));
        catalog = catalog with { Journeys = [catalog.Journeys[0] with { Status = JourneyStatus.Draft }] };
        var user = new UserState();

        Assert.Empty(Track(user, catalog, "A"));
        Assert.Empty(user.Journeys);
    }

    [Fact]
    public void Transitions_are_numbered_in_order()
    {
        var catalog = Catalog(Condition.Performed("A"), Send("first"), Send("second"));
        var user = new UserState();

        var transitions = Track(user, catalog, "A");

        Assert.Equal(["first:Entered", "first:Exited", "second:Entered"], Describe(transitions));
        Assert.Equal([1L, 2L, 3L], transitions.Select(t => t.Sequence));
    }

    private static IEnumerable<string> Describe(IEnumerable<Transition> transitions) =>
        transitions.Select(t => $"{t.StepId}:{t.Direction}");

    private static PublishedCatalog WithExits(PublishedCatalog catalog, Condition? exit, bool reEntry, JourneyStatus status = JourneyStatus.Published) =>
        catalog with { Journeys = [catalog.Journeys[0] with { ExitCondition = exit, AllowReEntry = reEntry, Status = status }] };

    [Fact]
    public void An_exit_event_takes_the_user_out_of_any_step_and_ends_memberships_except_never()
    {
        var catalog = WithExits(
            Catalog(Condition.Performed("A"), Send("kept", ExitBehaviour.Never), Send("onJourneyExit", ExitBehaviour.OnJourneyExit),
                Wait("wait", Condition.Performed("B")), Send("current")),
            Condition.Performed("Unsubscribed"), reEntry: false);
        var user = new UserState();

        Track(user, catalog, "A");
        Track(user, catalog, "B");
        var exit = Track(user, catalog, "Unsubscribed");

        Assert.Equal(["onJourneyExit:Exited", "current:Exited"], Describe(exit));
        Assert.True(user.Journeys["jny_1"].Exited);
        Assert.True(user.Journeys["jny_1"].Steps["kept"].IsMember);
        Assert.Empty(Track(user, catalog, "B"));
    }

    [Fact]
    public void Without_re_entry_an_exited_user_never_enters_again()
    {
        var catalog = WithExits(Catalog(Condition.Performed("A"), Send("send")), Condition.Performed("X"), reEntry: false);
        var user = new UserState();

        Track(user, catalog, "A");
        Track(user, catalog, "X");

        Assert.Empty(Track(user, catalog, "A"));
        Assert.Equal(1, user.Journeys["jny_1"].Entries);
    }

    [Fact]
    public void Re_entry_starts_a_new_epoch_with_new_message_ids()
    {
        var catalog = WithExits(Catalog(Condition.Performed("A"), Send("send")), Condition.Performed("X"), reEntry: true);
        var user = new UserState();

        var first = Track(user, catalog, "A").Single();
        var firstExit = Track(user, catalog, "X").Single();
        var second = Track(user, catalog, "A").Single();

        Assert.Equal((1, 1, 2), (first.Epoch, firstExit.Epoch, second.Epoch));
        Assert.Equal(2, user.Journeys["jny_1"].Entries);
        var connection = new ConnectionInfo { DestinationId = "dst_1" };
        Assert.NotEqual(Journeys.Orleans.Domain.MessageIds.For(first, "dst_1", Journeys.Orleans.Domain.CallType.Track),
            Journeys.Orleans.Domain.MessageIds.For(second, "dst_1", Journeys.Orleans.Domain.CallType.Track));
        Assert.Equal(Journeys.Orleans.Domain.MessageIds.For(first, connection.DestinationId, Journeys.Orleans.Domain.CallType.Track),
            Journeys.Orleans.Domain.MessageIds.For(first with { Sequence = 99 }, connection.DestinationId, Journeys.Orleans.Domain.CallType.Track));
    }

    [Fact]
    public void A_paused_journey_lets_nobody_in_but_moves_those_inside()
    {
        var live = Catalog(Condition.Performed("A"), Wait("wait", Condition.Performed("B")), Send("send"));
        var paused = WithExits(live, null, reEntry: false, JourneyStatus.Paused);
        var inside = new UserState();
        var outside = new UserState();

        Track(inside, live, "A");
        Assert.Empty(Track(outside, paused, "A"));
        Assert.Single(Track(inside, paused, "B"));
        Assert.Empty(outside.Journeys);
    }
}
