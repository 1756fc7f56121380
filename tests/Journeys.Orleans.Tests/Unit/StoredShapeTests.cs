using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>
/// States stored by earlier releases still read, through Orleans' serializer as grain storage uses it: a journey and a
/// step saved field by field come back with their definition records whole.
/// </summary>
public sealed class StoredShapeTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static readonly Condition Opened = Condition.All(
        Condition.Performed("Email Opened", new PropertyFilter("campaign", Comparison.Equals, "spring")), Condition.TraitIs("plan", "pro"));

    /// <summary>Bytes as the release that stored definitions field by field wrote them, read as today's type.</summary>
    private static T Reread<TLegacy, T>(TLegacy legacy) => Serializer.Deserialize<T>(Serializer.SerializeToArray(legacy))!;

    [Fact]
    public void A_journey_saved_field_by_field_loads_with_its_definition()
    {
        var state = Reread<LegacyJourneyState, JourneyState>(new LegacyJourneyState
        {
            Created = true, SpaceId = "spa_a", Name = "First Purchase", EntryCondition = Condition.Performed("Order Completed"),
            Status = JourneyStatus.Published, StepIds = ["stp_1", "stp_2"], ExitCondition = Opened, AllowReEntry = true,
            ExitAfter = TimeSpan.FromDays(30), ExitMatchProperty = "orderId", BackfillOnPublish = true, LineageId = "jny_1",
            Version = 2, SupersededBy = "jny_3", VersionIds = ["jny_1"], BackfilledUsers = 7,
        });

        var info = state.ToInfo("jny_2", []);

        Assert.Equal(new JourneyDefinition
        {
            Name = "First Purchase", EntryCondition = Condition.Performed("Order Completed"), ExitCondition = Opened, AllowReEntry = true,
            ExitAfter = TimeSpan.FromDays(30), ExitMatchProperty = "orderId", BackfillOnPublish = true,
        }, state.Definition);
        Assert.Equal(("First Purchase", JourneyStatus.Published, "jny_1", 2, "jny_3", 7L),
            (info.Name, info.Status, info.LineageId, info.Version, info.SupersededBy, info.BackfilledUsers));
        Assert.Equal(["stp_1", "stp_2"], state.StepIds);
    }

    [Fact]
    public void A_step_saved_field_by_field_loads_with_its_definition_key_and_connections()
    {
        var connection = new ConnectionInfo { DestinationId = "dst_1", DestinationName = "Ads", DestinationKind = DestinationKind.List, DestinationPartitions = 4 };
        var state = Reread<LegacyStepState, StepState>(new LegacyStepState
        {
            Created = true, SpaceId = "spa_a", JourneyId = "jny_1", Name = "Plan?", Kind = StepKind.MultiBranchSplit,
            Key = "j_o_first_purchase__plan_abc123", Condition = Opened, ExitBehaviour = ExitBehaviour.OnJourneyExit,
            Connections = [connection], Delay = TimeSpan.FromHours(1), Ref = "plan", Next = "end",
            Branches = [new StepBranch { Name = "pro", Condition = Opened, Next = "pro" }, new StepBranch { Name = "rest", Next = "rest" }],
            Timeout = TimeSpan.FromDays(2), TimeoutNext = "rest",
        });

        var info = state.ToInfo("stp_1");

        Assert.Equal(new StepDefinition
        {
            Name = "Plan?", Kind = StepKind.MultiBranchSplit, Condition = Opened, ExitBehaviour = ExitBehaviour.OnJourneyExit,
            Delay = TimeSpan.FromHours(1), Ref = "plan", Next = "end", Timeout = TimeSpan.FromDays(2), TimeoutNext = "rest",
            Branches = [new StepBranch { Name = "pro", Condition = Opened, Next = "pro" }, new StepBranch { Name = "rest", Next = "rest" }],
        }, state.Definition);
        Assert.Equal(("j_o_first_purchase__plan_abc123", "plan", "jny_1"), (info.Key, info.Ref, info.JourneyId));
        Assert.Equal([connection], info.Connections);
    }

    [Fact]
    public void A_state_saved_with_its_definition_reads_back_the_same()
    {
        var definition = new StepDefinition { Name = "Send", Kind = StepKind.SendToDestinations, Ref = "send" };
        var state = Serializer.Deserialize<StepState>(Serializer.SerializeToArray(new StepState { Created = true, Key = "k", Definition = definition }))!;

        Assert.Equal(definition, state.Definition);
        Assert.Equal("Send", state.ToInfo("stp_1").Name);
    }

    [Fact]
    public void A_sweep_saved_before_walks_counted_their_users_goes_on_and_is_counted_then()
    {
        var state = Reread<LegacyJourneySweepState, JourneySweepState>(new LegacyJourneySweepState
        {
            SpaceId = "spa_a", SweepPending = true, SweepStepIds = ["stp_1", "stp_2"], SweepStep = 1, PageToken = "page-3", SweptUsers = 7,
        });

        Assert.Equal(("spa_a", "page-3", 7L, ("stp_2", false)), (state.SpaceId, state.PageToken, state.SweptUsers, state.Walking!.Value));
        Assert.True(state.NeedsCount);
        Assert.Equal(["stp_2"], state.StepsToWalk);
        Assert.Null(state.Progress(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void A_walks_count_and_start_are_stored_so_that_its_progress_survives_a_restart()
    {
        var started = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var walk = new JourneySweepState();
        walk.StartBackfill("spa_a");
        walk.Counted(1200, started);
        walk.Advance("page-2", 400, 1000, started.AddSeconds(10));

        var stored = Serializer.Deserialize<JourneySweepState>(Serializer.SerializeToArray(walk))!;
        var progress = stored.Progress(started.AddSeconds(10))!;

        Assert.False(stored.NeedsCount);
        Assert.Equal((WorkKind.Backfill, 1000L, 1200L, started, true), (progress.Kind, progress.Done, progress.Total, progress.StartedAt, progress.Running));
        Assert.Equal(100.0, progress.RatePerSecond);
    }
}

/// <summary>The sweep grain's state as the release before walks reported progress stored it (same ids).</summary>
[GenerateSerializer, Alias("journeys.tests.LegacyJourneySweepState")]
public sealed class LegacyJourneySweepState
{
    [Id(0)] public string SpaceId { get; set; } = "";
    [Id(1)] public bool BackfillPending { get; set; }
    [Id(2)] public bool SweepPending { get; set; }
    [Id(3)] public List<string> SweepStepIds { get; set; } = [];
    [Id(4)] public int SweepStep { get; set; }
    [Id(5)] public string? PageToken { get; set; }
    [Id(6)] public long BackfilledUsers { get; set; }
    [Id(7)] public long SweptUsers { get; set; }
}

/// <summary>The journey grain's state as the release before definition records stored it (same ids).</summary>
[GenerateSerializer, Alias("journeys.tests.LegacyJourneyState")]
public sealed class LegacyJourneyState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2)] public string Name { get; set; } = "";
    [Id(3)] public Condition EntryCondition { get; set; } = new();
    [Id(4)] public JourneyStatus Status { get; set; }
    [Id(5)] public List<string> StepIds { get; set; } = [];
    [Id(6)] public Condition? ExitCondition { get; set; }
    [Id(7)] public bool AllowReEntry { get; set; }
    [Id(8)] public TimeSpan? ExitAfter { get; set; }
    [Id(9)] public string? ExitMatchProperty { get; set; }
    [Id(10)] public bool BackfillOnPublish { get; set; }
    [Id(11)] public string LineageId { get; set; } = "";
    [Id(12)] public int Version { get; set; } = 1;
    [Id(13)] public string? SupersededBy { get; set; }
    [Id(14)] public List<string> VersionIds { get; set; } = [];
    [Id(15)] public long BackfilledUsers { get; set; }
    [Id(16)] public bool BackfillPending { get; set; }
    [Id(17)] public bool SweepPending { get; set; }
}

/// <summary>The step grain's state as the release before definition records stored it (same ids).</summary>
[GenerateSerializer, Alias("journeys.tests.LegacyStepState")]
public sealed class LegacyStepState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2)] public string JourneyId { get; set; } = "";
    [Id(3)] public string Name { get; set; } = "";
    [Id(4)] public StepKind Kind { get; set; }
    [Id(5)] public string Key { get; set; } = "";
    [Id(6)] public Condition? Condition { get; set; }
    [Id(7)] public ExitBehaviour ExitBehaviour { get; set; }
    [Id(8)] public List<ConnectionInfo> Connections { get; set; } = [];
    [Id(9)] public TimeSpan? Delay { get; set; }
    [Id(10)] public string Ref { get; set; } = "";
    [Id(11)] public string? Next { get; set; }
    [Id(12)] public List<StepBranch> Branches { get; set; } = [];
    [Id(13)] public TimeSpan? Timeout { get; set; }
    [Id(14)] public string? TimeoutNext { get; set; }
}
