using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>The figures of long work's progress (<see cref="ProgressMeter"/>): rate since the start, the end it gives.</summary>
public sealed class ProgressMeterTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_rate_is_the_average_since_the_start_and_the_end_what_is_left_at_that_rate()
    {
        var progress = ProgressMeter.Measure(WorkKind.Backfill, 250, 1000, Start, null, Start.AddSeconds(10));

        Assert.Equal(25.0, progress.RatePerSecond);
        Assert.Equal(Start.AddSeconds(40), progress.EstimatedEnd);
        Assert.Equal((250L, 1000L, Start, true), (progress.Done, progress.Total, progress.StartedAt, progress.Running));
    }

    [Fact]
    public void Nothing_done_yet_or_no_time_passed_gives_no_rate_and_no_end()
    {
        var nothingDone = ProgressMeter.Measure(WorkKind.ArchiveSweep, 0, 10, Start, null, Start.AddSeconds(5));
        var noTime = ProgressMeter.Measure(WorkKind.ArchiveSweep, 3, 10, Start, null, Start);

        Assert.Equal(((double?)null, (DateTimeOffset?)null), (nothingDone.RatePerSecond, nothingDone.EstimatedEnd));
        Assert.Equal(((double?)null, (DateTimeOffset?)null), (noTime.RatePerSecond, noTime.EstimatedEnd));
    }

    [Fact]
    public void Finished_work_keeps_the_rate_it_had_and_ends_when_it_ended()
    {
        var finished = ProgressMeter.Measure(WorkKind.ListMirror, 40, 40, Start, Start.AddSeconds(4), Start.AddHours(1));

        Assert.Equal(10.0, finished.RatePerSecond);
        Assert.Equal(Start.AddSeconds(4), finished.EstimatedEnd);
        Assert.False(finished.Running);
    }

    [Fact]
    public void Users_who_arrived_while_the_work_ran_raise_the_total_rather_than_pass_it()
    {
        var over = ProgressMeter.Measure(WorkKind.Backfill, 12, 10, Start, null, Start.AddSeconds(6));
        var emptyFinished = ProgressMeter.Measure(WorkKind.Backfill, 0, 0, Start, Start, Start);

        Assert.Equal((12L, 12L, Start.AddSeconds(6)), (over.Done, over.Total, over.EstimatedEnd));
        Assert.Equal((0L, 0L, false), (emptyFinished.Done, emptyFinished.Total, emptyFinished.Running));
    }

    [Fact]
    public void A_rate_too_slow_to_end_within_the_calendar_gives_no_end()
    {
        var crawling = ProgressMeter.Measure(WorkKind.Backfill, 1, long.MaxValue, Start, null, Start.AddDays(3650));

        Assert.NotNull(crawling.RatePerSecond);
        Assert.Null(crawling.EstimatedEnd);
    }
}
