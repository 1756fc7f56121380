using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Telemetry.History;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>What the engine reports for a journey's flow: entries, split branches taken, exits and why.</summary>
public sealed class JourneyFlowMovesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private static StepInfo Step(string id, StepKind kind, string? next = null) =>
        new() { Id = id, Ref = id, Key = $"j_o_j__{id}_abcdef", Kind = kind, Next = next };

    private static StepBranch Branch(string next, Condition? condition = null, int? percent = null) =>
        new() { Name = next, Next = next, Condition = condition, Percent = percent };

    private static JourneyInfo Journey(params StepInfo[] steps) => new()
    {
        Id = "jny_1", LineageId = "jny_1", SpaceId = "spa_default", Name = "J", EntryCondition = Condition.Performed("A"),
        ExitCondition = Condition.Performed("Stop"), ExitAfter = TimeSpan.FromHours(6), Status = JourneyStatus.Published, Steps = steps,
    };

    private static List<string> Run(UserState user, JourneyInfo journey, string? eventName, DateTimeOffset now, string userKey = "u:u1")
    {
        var catalog = new PublishedCatalog { SpaceId = "spa_default", Version = 1, Journeys = [journey] };
        TrackEvent? call = null;
        if (eventName is not null)
        {
            call = new TrackEvent { UserId = userKey[2..], Event = eventName };
            JourneyEngine.ApplyTrack(user, call, now, catalog);
        }
        var flow = new List<FlowMove>();
        JourneyEngine.Advance(user, catalog, userKey, now, call, null, null, flow);
        Assert.All(flow, move => Assert.Equal((journey.Id, now), (move.JourneyId, move.At)));
        return flow.Select(m => m.Counter).ToList();
    }

    [Fact]
    public void Entering_reports_the_entry_and_the_branches_of_each_split_passed()
    {
        var split = Step("split", StepKind.TrueFalseSplit) with { Condition = Condition.TraitIs("plan", "pro"), Branches = [Branch("pro"), Branch("multi")] };
        var multi = Step("multi", StepKind.MultiBranchSplit) with
            { Branches = [Branch("x", Condition.TraitIs("plan", "team")), Branch("y"), Branch("z", Condition.TraitIs("plan", "team"))] };
        var journey = Journey(split, Step("pro", StepKind.SendToDestinations), multi,
            Step("x", StepKind.SendToDestinations), Step("y", StepKind.SendToDestinations), Step("z", StepKind.SendToDestinations));
        var team = new UserState();
        JourneyEngine.ApplyIdentify(team, new IdentifyEvent { UserId = "u1", Traits = new Dictionary<string, string?> { ["plan"] = "team" } });

        var moves = Run(team, journey, "A", Start);
        var nobody = Run(new UserState(), journey, "A", Start, "u:u2");

        // Not pro: the false branch; then every branch of the multi-branch split whose condition holds, or "everyone else".
        Assert.Equal([FlowCounters.Entered, FlowCounters.Branch("split", 1), FlowCounters.Branch("multi", 0), FlowCounters.Branch("multi", 2)], moves);
        Assert.Equal([FlowCounters.Entered, FlowCounters.Branch("split", 1), FlowCounters.Branch("multi", 1)], nobody);
    }

    [Fact]
    public void Exits_say_why_exit_event_exit_time_archive_or_the_end_of_the_path()
    {
        var waiting = Journey(Step("wait", StepKind.Condition) with { Condition = Condition.Performed("Go") });
        var byEvent = new UserState();
        var byTime = new UserState();
        var byArchive = new UserState();
        var finishing = new UserState();
        foreach (var user in new[] { byEvent, byTime, byArchive, finishing }) Run(user, waiting, "A", Start);

        Assert.Equal([FlowCounters.Exited(JourneyExitReason.ExitEvent)], Run(byEvent, waiting, "Stop", Start.AddMinutes(1)));
        Assert.Equal([FlowCounters.Exited(JourneyExitReason.ExitTime)], Run(byTime, waiting, null, Start.AddHours(7)));
        Assert.Equal([FlowCounters.Exited(JourneyExitReason.Archived)], Run(byArchive, waiting with { Status = JourneyStatus.Archived }, null, Start.AddMinutes(1)));
        Assert.Equal([FlowCounters.Exited(JourneyExitReason.Finished)], Run(finishing, waiting, "Go", Start.AddMinutes(1)));
        Assert.Empty(Run(finishing, waiting, "Go", Start.AddMinutes(2)));
        Assert.Equal(["exit:exit_event", "exit:exit_time", "exit:archived", "exit:finished"],
            Enum.GetValues<JourneyExitReason>().Select(FlowCounters.Exited));
    }

    [Fact]
    public void A_randomized_split_reports_the_branch_it_drew()
    {
        var split = Step("split", StepKind.RandomizedSplit) with { Branches = [Branch("a", percent: 30), Branch("b", percent: 70)] };
        var journey = Journey(split, Step("a", StepKind.SendToDestinations), Step("b", StepKind.SendToDestinations));

        foreach (var user in Enumerable.Range(0, 20).Select(i => $"u:r{i}"))
        {
            var drawn = JourneyEngine.RandomizedBranch(split, user);
            Assert.Equal([FlowCounters.Entered, FlowCounters.Branch("split", drawn)], Run(new UserState(), journey, "A", Start, user));
        }
    }
}
