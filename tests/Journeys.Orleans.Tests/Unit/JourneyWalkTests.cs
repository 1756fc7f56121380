using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>
/// A journey's versions (<see cref="JourneyLineage"/>) and where its backfill or archive sweep stands
/// (<see cref="JourneySweepState"/>): page by page, step after step, an archive stopping a backfill.
/// </summary>
public sealed class JourneyWalkTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lineage_numbers_versions_in_order_and_holds_at_most_25()
    {
        var ids = new List<string> { "jny_1" };
        var lineage = new JourneyLineage(ids);
        var n = 1;

        var second = lineage.Reserve(() => $"jny_{++n}");
        while (ids.Count < DefinitionRules.MaxVersions) lineage.Reserve(() => $"jny_{++n}");
        var full = Assert.Throws<JourneysValidationException>(() => lineage.Reserve(() => "jny_extra"));

        Assert.Equal(("jny_2", 2), second);
        Assert.Equal(25, ids.Count);
        Assert.DoesNotContain("jny_extra", ids);
        Assert.Contains("25 versions", full.Reason);
        Assert.Equal(["jny_1", "jny_2"], JourneyLineage.EarlierThan(ids, 3));
        Assert.Empty(JourneyLineage.EarlierThan(ids, 1));
    }

    [Fact]
    public void A_backfill_walks_the_user_directory_page_by_page_and_counts_whom_it_entered()
    {
        var sweep = new JourneySweepState();
        sweep.StartBackfill("spa_a");

        Assert.Equal((GrainKeys.UserDirectoryStep, true), sweep.Walking);
        sweep.Advance("page-2", 3, 3, Now);
        Assert.True(sweep.Pending);
        Assert.Equal("page-2", sweep.PageToken);
        sweep.Advance(null, 2, 2, Now);

        Assert.False(sweep.Pending);
        Assert.Null(sweep.Walking);
        Assert.Equal(5, sweep.BackfilledUsers);
    }

    [Fact]
    public void An_archive_sweep_walks_every_step_in_turn_and_stops_a_running_backfill()
    {
        var sweep = new JourneySweepState();
        sweep.StartBackfill("spa_a");
        sweep.Advance("page-2", 1, 1, Now);

        sweep.StartSweep("spa_a", ["stp_1", "stp_2"]);
        var first = sweep.Walking;
        sweep.Advance("page-2", 10, 10, Now);
        var firstAgain = sweep.Walking;
        sweep.Advance(null, 5, 5, Now);
        var second = sweep.Walking;
        Assert.Null(sweep.PageToken);
        sweep.Advance(null, 1, 1, Now);

        Assert.Equal(("stp_1", false), first);
        Assert.Equal(("stp_1", false), firstAgain);
        Assert.Equal(("stp_2", false), second);
        Assert.False(sweep.Pending);
        Assert.False(sweep.BackfillPending);
        Assert.Equal(1, sweep.BackfilledUsers);
        Assert.Equal(16, sweep.SweptUsers);
    }

    [Fact]
    public void Archiving_a_journey_without_steps_leaves_nothing_to_walk()
    {
        var sweep = new JourneySweepState();
        sweep.StartSweep("spa_a", []);

        Assert.False(sweep.Pending);
        Assert.Null(sweep.Walking);
    }

    [Fact]
    public void A_walk_reports_the_users_it_visited_of_those_counted_at_its_start_page_by_page()
    {
        var sweep = new JourneySweepState();
        sweep.StartBackfill("spa_a");
        var beforeCount = (sweep.NeedsCount, sweep.Progress(Now), sweep.StepsToWalk);
        sweep.Counted(10, Now);

        sweep.Advance("page-2", visited: 1, walked: 4, Now.AddSeconds(2));
        var between = sweep.Progress(Now.AddSeconds(2))!;
        sweep.StartBackfill("spa_a");
        var restarted = sweep.Progress(Now.AddSeconds(2))!;
        sweep.Advance(null, visited: 2, walked: 6, Now.AddSeconds(5));
        var done = sweep.Progress(Now.AddSeconds(60))!;

        Assert.True(beforeCount.NeedsCount);
        Assert.Null(beforeCount.Item2);
        Assert.Equal([GrainKeys.UserDirectoryStep], beforeCount.StepsToWalk);
        Assert.Equal((WorkKind.Backfill, 4L, 10L, 2.0, Now.AddSeconds(5), true), (between.Kind, between.Done, between.Total, between.RatePerSecond, between.EstimatedEnd, between.Running));
        // Asking for a backfill already running neither counts nor measures it again.
        Assert.Equal(between, restarted);
        Assert.False(sweep.NeedsCount);
        Assert.Equal((10L, 10L, Now.AddSeconds(5), Now.AddSeconds(5), false), (done.Done, done.Total, done.FinishedAt, done.EstimatedEnd, done.Running));
        Assert.Equal(2.0, done.RatePerSecond);
        Assert.Equal(3, sweep.BackfilledUsers);
    }

    [Fact]
    public void An_archive_sweep_counts_the_steps_it_has_left_and_starts_measuring_again()
    {
        var sweep = new JourneySweepState();
        sweep.StartBackfill("spa_a");
        sweep.Counted(100, Now);
        sweep.Advance("page-2", 5, 5, Now);

        sweep.StartSweep("spa_a", ["stp_1", "stp_2"]);
        var toCount = sweep.StepsToWalk.ToList();
        sweep.Counted(3, Now.AddSeconds(10));
        sweep.Advance(null, 2, 2, Now.AddSeconds(11));
        var left = sweep.StepsToWalk.ToList();
        var between = sweep.Progress(Now.AddSeconds(11))!;

        Assert.Equal(["stp_1", "stp_2"], toCount);
        Assert.Equal(["stp_2"], left);
        Assert.Equal((WorkKind.ArchiveSweep, 2L, 3L, Now.AddSeconds(10)), (between.Kind, between.Done, between.Total, between.StartedAt));
        Assert.True(between.Running);
    }
}
