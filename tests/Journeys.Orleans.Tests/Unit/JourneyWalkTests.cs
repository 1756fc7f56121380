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
        sweep.Advance("page-2", 3);
        Assert.True(sweep.Pending);
        Assert.Equal("page-2", sweep.PageToken);
        sweep.Advance(null, 2);

        Assert.False(sweep.Pending);
        Assert.Null(sweep.Walking);
        Assert.Equal(5, sweep.BackfilledUsers);
    }

    [Fact]
    public void An_archive_sweep_walks_every_step_in_turn_and_stops_a_running_backfill()
    {
        var sweep = new JourneySweepState();
        sweep.StartBackfill("spa_a");
        sweep.Advance("page-2", 1);

        sweep.StartSweep("spa_a", ["stp_1", "stp_2"]);
        var first = sweep.Walking;
        sweep.Advance("page-2", 10);
        var firstAgain = sweep.Walking;
        sweep.Advance(null, 5);
        var second = sweep.Walking;
        Assert.Null(sweep.PageToken);
        sweep.Advance(null, 1);

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
}
