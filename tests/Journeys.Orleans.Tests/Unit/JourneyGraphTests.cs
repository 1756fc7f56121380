using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>The engine over step graphs: splits, merges, timeouts, exits, archive, versions and backfill.</summary>
public sealed class JourneyGraphTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static StepInfo Step(string id, StepKind kind, string? next = null) =>
        new() { Id = id, Ref = id, Key = $"j_o_j__{id}_abcdef", Kind = kind, Next = next };

    private static StepInfo Send(string id, string? next = StepRefs.End, ExitBehaviour exit = ExitBehaviour.OnStepLeave) =>
        Step(id, StepKind.SendToDestinations, next) with { ExitBehaviour = exit };

    private static StepInfo Wait(string id, Condition condition, string? next = null) =>
        Step(id, StepKind.Condition, next) with { Condition = condition };

    private static StepBranch Branch(string next, Condition? condition = null, int? percent = null) =>
        new() { Name = next, Next = next, Condition = condition, Percent = percent };

    private static JourneyInfo Journey(Condition entry, params StepInfo[] steps) => new()
    {
        Id = "jny_1", LineageId = "jny_1", SpaceId = "spa_default", Name = "J", EntryCondition = entry,
        Status = JourneyStatus.Published, Steps = steps,
    };

    private static PublishedCatalog Catalog(params JourneyInfo[] journeys) => new() { SpaceId = "spa_default", Version = 1, Journeys = journeys };

    private sealed class Subject(PublishedCatalog catalog, string userKey = "u:u1")
    {
        public UserState User { get; } = new();
        public PublishedCatalog Catalog { get; set; } = catalog;
        public DateTimeOffset Now { get; set; } = Start;
        public List<Transition> Moves { get; } = [];

        public IEnumerable<string> Track(string name, IReadOnlyDictionary<string, string?>? properties = null)
        {
            var call = new TrackEvent { UserId = userKey[2..], Event = name, Properties = properties ?? new Dictionary<string, string?>() };
            JourneyEngine.ApplyTrack(User, call, Now, Catalog);
            return Describe(JourneyEngine.Advance(User, Catalog, userKey, Now, call, Moves));
        }

        public IEnumerable<string> Identify(string trait, string? value)
        {
            JourneyEngine.ApplyIdentify(User, new IdentifyEvent { UserId = userKey[2..], Traits = new Dictionary<string, string?> { [trait] = value } });
            return Describe(JourneyEngine.Advance(User, Catalog, userKey, Now, null, Moves));
        }

        public IEnumerable<string> Wake() => Describe(JourneyEngine.Advance(User, Catalog, userKey, Now, null, Moves));

        public IEnumerable<string> Backfill(string journeyId) =>
            Describe(JourneyEngine.Advance(User, Catalog, userKey, Now, null, Moves, journeyId));

        public IEnumerable<string> Members(string journeyId = "jny_1") =>
            User.Journeys[journeyId].Steps.Where(s => s.Value.IsMember).Select(s => s.Key).Order();

        private static IEnumerable<string> Describe(IEnumerable<Transition> transitions) =>
            transitions.Select(t => $"{t.StepId}:{t.Direction}").ToList();
    }

    [Fact]
    public void A_true_false_split_sends_users_who_meet_its_condition_down_the_first_branch()
    {
        var split = Step("split", StepKind.TrueFalseSplit) with { Condition = Condition.TraitIs("plan", "pro"), Branches = [Branch("pro"), Branch("free")] };
        var catalog = Catalog(Journey(Condition.Performed("A"), split, Send("pro"), Send("free")));
        var pro = new Subject(catalog, "u:pro");
        var free = new Subject(catalog, "u:free");

        pro.Identify("plan", "pro");
        Assert.Equal(["pro:Entered"], pro.Track("A"));
        Assert.Equal(["free:Entered"], free.Track("A"));
    }

    [Fact]
    public void A_multi_branch_split_sends_a_user_down_every_branch_they_meet_and_paths_merge_into_one()
    {
        var split = Step("split", StepKind.MultiBranchSplit) with
        {
            Branches = [Branch("email", Condition.TraitIs("email", "yes")), Branch("sms", Condition.TraitIs("sms", "yes"))],
        };
        var catalog = Catalog(Journey(Condition.Performed("A"), split, Send("email", next: "merged"), Send("sms", next: "merged"),
            Wait("merged", Condition.Performed("B"), next: "done"), Send("done")));
        var both = new Subject(catalog);
        both.Identify("email", "yes");
        both.Identify("sms", "yes");

        Assert.Equal(["email:Entered", "sms:Entered"], both.Track("A"));
        Assert.Single(both.User.Journeys["jny_1"].Positions);
        Assert.Equal(["email:Exited", "sms:Exited", "done:Entered"], both.Track("B"));
    }

    [Fact]
    public void A_multi_branch_split_holds_users_who_meet_no_branch_until_they_do_or_takes_its_default_branch()
    {
        Condition pro = Condition.TraitIs("plan", "pro");
        var holding = Step("split", StepKind.MultiBranchSplit) with { Branches = [Branch("pro", pro), Branch("other", Condition.TraitIs("plan", "team"))] };
        var waiting = new Subject(Catalog(Journey(Condition.Performed("A"), holding, Send("pro"), Send("other"))));
        Assert.Empty(waiting.Track("A"));
        Assert.Equal(["split"], waiting.Members());
        Assert.Equal(["pro:Entered"], waiting.Identify("plan", "pro"));

        var withDefault = holding with { Branches = [Branch("pro", pro), Branch("other")] };
        var fallsThrough = new Subject(Catalog(Journey(Condition.Performed("A"), withDefault, Send("pro"), Send("other"))));
        Assert.Equal(["other:Entered"], fallsThrough.Track("A"));
    }

    [Fact]
    public void A_randomized_split_follows_its_percentages_and_keeps_a_user_on_their_branch_when_they_re_enter()
    {
        var split = Step("split", StepKind.RandomizedSplit) with { Branches = [Branch("a", percent: 30), Branch("b", percent: 70)] };
        var journey = Journey(Condition.Performed("A"), split, Send("a"), Send("b")) with { ExitCondition = Condition.Performed("X"), AllowReEntry = true };
        var catalog = Catalog(journey);

        var wentToA = 0;
        for (var i = 0; i < 2000; i++)
        {
            var user = new Subject(catalog, $"u:user{i}");
            var first = user.Track("A").Single();
            user.Track("X");
            Assert.Equal(first, user.Track("A").Single());
            if (first == "a:Entered") wentToA++;
        }
        Assert.InRange(wentToA, 500, 700);
    }

    [Fact]
    public void A_condition_that_times_out_takes_the_timeout_branch_and_without_one_the_path_ends()
    {
        var withBranch = Wait("wait", Condition.Performed("Bought"), next: "buyer") with { Timeout = TimeSpan.FromDays(3), TimeoutNext = "nudge" };
        var subject = new Subject(Catalog(Journey(Condition.Performed("A"), withBranch, Send("buyer"), Send("nudge"))));
        subject.Track("A");
        Assert.Equal(Start + TimeSpan.FromDays(3), JourneyEngine.NextWakeUp(subject.User, subject.Catalog));
        subject.Now = Start + TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1);
        Assert.Empty(subject.Wake());
        subject.Now = Start + TimeSpan.FromDays(3);
        Assert.Equal(["nudge:Entered"], subject.Wake());
        Assert.Empty(subject.Track("Bought"));

        var withoutBranch = withBranch with { TimeoutNext = null };
        var ends = new Subject(Catalog(Journey(Condition.Performed("A"), withoutBranch, Send("buyer"), Send("nudge"))));
        ends.Track("A");
        ends.Now = Start + TimeSpan.FromDays(4);
        Assert.Empty(ends.Wake());
        Assert.True(ends.User.Journeys["jny_1"].Exited);
        Assert.Empty(ends.Members());
    }

    [Fact]
    public void Users_exit_the_journey_the_set_time_after_they_entered_wherever_they_are()
    {
        var journey = Journey(Condition.Performed("A"), Send("send", next: "wait"), Wait("wait", Condition.Performed("Never"))) with { ExitAfter = TimeSpan.FromHours(6) };
        var subject = new Subject(Catalog(journey));
        subject.Track("A");
        Assert.Equal(Start + TimeSpan.FromHours(6), JourneyEngine.NextWakeUp(subject.User, subject.Catalog));

        subject.Now = Start + TimeSpan.FromHours(6);
        Assert.Equal(["send:Exited"], subject.Wake());
        Assert.True(subject.User.Journeys["jny_1"].Exited);
        Assert.Empty(subject.Members());
    }

    [Fact]
    public void An_exit_event_with_a_match_property_exits_only_on_the_entry_events_identifier()
    {
        var journey = Journey(Condition.Performed("Cart Created"), Send("send")) with
        {
            ExitCondition = Condition.Performed("Order Completed"), ExitMatchProperty = "cart_id",
        };
        var subject = new Subject(Catalog(journey));
        subject.Track("Cart Created", new Dictionary<string, string?> { ["cart_id"] = "c1" });

        Assert.Empty(subject.Track("Order Completed", new Dictionary<string, string?> { ["cart_id"] = "c2" }));
        Assert.Empty(subject.Track("Order Completed"));
        Assert.Equal(["send:Exited"], subject.Track("Order Completed", new Dictionary<string, string?> { ["cart_id"] = "c1" }));
    }

    [Fact]
    public void Archiving_moves_users_out_and_only_onStepLeave_members_leave_and_nobody_enters()
    {
        var journey = Journey(Condition.Performed("A"), Send("kept", next: "leaves", exit: ExitBehaviour.OnJourneyExit),
            Send("leaves", next: "wait"), Wait("wait", Condition.Performed("Never")));
        var subject = new Subject(Catalog(journey));
        subject.Track("A");
        Assert.Equal(["kept", "leaves", "wait"], subject.Members());

        subject.Catalog = Catalog(journey with { Status = JourneyStatus.Archived });
        Assert.Equal(["leaves:Exited"], subject.Wake());
        Assert.Equal(["kept"], subject.Members());
        Assert.Empty(subject.User.Journeys["jny_1"].Positions);

        var newcomer = new Subject(subject.Catalog, "u:new");
        Assert.Empty(newcomer.Track("A"));
        Assert.Empty(newcomer.User.Journeys);
    }

    [Fact]
    public void Users_of_an_earlier_version_never_enter_a_later_one_and_a_superseded_version_takes_nobody_new()
    {
        var v1 = Journey(Condition.Performed("A"), Send("v1send")) with { SupersededBy = "jny_2" };
        var v2 = Journey(Condition.Performed("A"), Send("v2send")) with { Id = "jny_2", Version = 2 };
        var veteran = new Subject(Catalog(v1 with { SupersededBy = null }));
        veteran.Track("A");
        veteran.Catalog = Catalog(v1, v2);

        Assert.Empty(veteran.Track("A"));
        Assert.False(veteran.User.Journeys.ContainsKey("jny_2"));

        var newcomer = new Subject(Catalog(v1, v2), "u:new");
        Assert.Equal(["v2send:Entered"], newcomer.Track("A"));
        Assert.False(newcomer.User.Journeys.ContainsKey("jny_1"));
    }

    [Fact]
    public void A_backfill_enters_users_whose_history_qualifies_once_and_never_after_a_live_entry()
    {
        var journey = Journey(Condition.Performed("Signed Up"), Send("send"));
        var before = Catalog(journey with { Status = JourneyStatus.Draft });

        var historic = new Subject(before, "u:historic");
        historic.Track("Signed Up");
        historic.Catalog = Catalog(journey);
        Assert.Equal(["send:Entered"], historic.Backfill("jny_1"));
        Assert.Empty(historic.Backfill("jny_1"));
        Assert.Empty(historic.Track("Signed Up"));

        var live = new Subject(Catalog(journey), "u:live");
        Assert.Equal(["send:Entered"], live.Track("Signed Up"));
        Assert.Empty(live.Backfill("jny_1"));

        var never = new Subject(before, "u:never");
        never.Track("Other");
        never.Catalog = Catalog(journey);
        Assert.Empty(never.Backfill("jny_1"));
    }

    [Fact]
    public void Every_step_a_user_enters_or_leaves_is_a_move_on_their_timeline()
    {
        var subject = new Subject(Catalog(Journey(Condition.Performed("A"), Wait("wait", Condition.Performed("B")), Send("send"))));
        subject.Track("A");
        subject.Track("B");

        Assert.Equal(["wait:Entered", "wait:Exited", "send:Entered"], subject.Moves.Select(t => $"{t.StepId}:{t.Direction}"));
        Assert.Equal([StepKind.Condition, StepKind.Condition, StepKind.SendToDestinations], subject.Moves.Select(t => t.StepKind));
    }
}
