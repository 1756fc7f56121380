using Journeys.Orleans.Telemetry.History;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>The per-minute delivery and flow counts: bucketing, percentiles, windows — plain classes, no cluster.</summary>
public sealed class HistoryTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Deliveries_are_counted_per_destination_and_minute_with_latency_in_buckets()
    {
        var clock = new FakeTimeProvider(Noon.AddSeconds(10));
        var aggregator = new HistoryAggregator(clock);
        aggregator.Delivered("dst_a", TimeSpan.FromMilliseconds(30));
        aggregator.Delivered("dst_a", TimeSpan.FromMilliseconds(40));
        aggregator.Retried("dst_a");
        aggregator.Failed("dst_b");
        clock.Advance(TimeSpan.FromSeconds(55));
        aggregator.Delivered("dst_a", TimeSpan.FromSeconds(2));
        aggregator.Delivered("dst_a", null);

        var batch = aggregator.Take();

        Assert.Equal(
            [("dst_a", Noon, 2L, 1L, 0L), ("dst_a", Noon.AddMinutes(1), 2L, 0L, 0L), ("dst_b", Noon, 0L, 0L, 1L)],
            batch.Deliveries.Select(d => (d.DestinationId, d.Minute, d.Delivered, d.Retried, d.Failed)));
        var first = batch.Deliveries[0].Latency;
        Assert.Equal(2, first[LatencyHistogram.BucketOf(0.05)]); // 30 ms and 40 ms fall in (25 ms, 50 ms]
        Assert.Equal(2, first.Sum());
        Assert.Equal(1, batch.Deliveries[1].Latency.Sum()); // a delivery without a known latency counts, but not in the histogram
        Assert.True(aggregator.Take().IsEmpty);
    }

    [Fact]
    public void A_batch_the_store_refused_is_counted_again_with_what_came_since()
    {
        var clock = new FakeTimeProvider(Noon);
        var aggregator = new HistoryAggregator(clock);
        aggregator.Delivered("dst_a", TimeSpan.FromMilliseconds(5));
        aggregator.Flow(FlowMove.EnteredJourney("jrn_1", Noon));
        var refused = aggregator.Take();
        aggregator.Delivered("dst_a", TimeSpan.FromMilliseconds(5));
        aggregator.Flow(FlowMove.EnteredJourney("jrn_1", Noon.AddSeconds(3)));

        aggregator.Return(refused);
        var batch = aggregator.Take();

        Assert.Equal(2, batch.Deliveries.Single().Delivered);
        Assert.Equal(2, batch.Deliveries.Single().Latency[0]);
        Assert.Equal(2, batch.Flow.Single().Count);
    }

    [Fact]
    public void A_refused_batch_put_back_drops_the_minutes_the_history_no_longer_keeps()
    {
        var clock = new FakeTimeProvider(Noon);
        var aggregator = new HistoryAggregator(clock);
        aggregator.Delivered("dst_old", null);
        aggregator.Flow(FlowMove.EnteredJourney("jrn_old", Noon));
        var refused = aggregator.Take();
        clock.Advance(TimeSpan.FromDays(3));
        aggregator.Delivered("dst_new", null);

        aggregator.Return(refused, keepFrom: clock.GetUtcNow() - TimeSpan.FromDays(2));
        var batch = aggregator.Take();

        Assert.Equal("dst_new", batch.Deliveries.Single().DestinationId);
        Assert.Empty(batch.Flow);
    }

    [Fact]
    public void The_history_settings_are_checked_at_start()
    {
        var validator = new Journeys.Orleans.Hosting.JourneysOptionsValidator();

        var good = validator.Validate(null, new Journeys.Orleans.Hosting.JourneysOptions());
        var bad = validator.Validate(null, new Journeys.Orleans.Hosting.JourneysOptions
            { HistoryFlushInterval = TimeSpan.Zero, HistoryRetention = TimeSpan.FromHours(1) });

        Assert.True(good.Succeeded);
        Assert.Contains(bad.Failures!, f => f.StartsWith("Journeys:HistoryFlushInterval", StringComparison.Ordinal));
        Assert.Contains(bad.Failures!, f => f.StartsWith("Journeys:HistoryRetention", StringComparison.Ordinal));
    }

    [Fact]
    public void Journey_moves_are_counted_per_journey_minute_and_counter()
    {
        var aggregator = new HistoryAggregator(new FakeTimeProvider(Noon));
        aggregator.Flow(FlowMove.EnteredJourney("jrn_1", Noon.AddSeconds(1)));
        aggregator.Flow(FlowMove.EnteredJourney("jrn_1", Noon.AddSeconds(59)));
        aggregator.Flow(FlowMove.EnteredJourney("jrn_1", Noon.AddSeconds(60)));
        aggregator.Flow(new FlowMove("jrn_1", FlowKind.StepEntered, Noon, "stp_a"));
        aggregator.Flow(new FlowMove("jrn_1", FlowKind.StepExited, Noon, "stp_a"));
        aggregator.Flow(FlowMove.TookBranch("jrn_1", "stp_s", 2, Noon));
        aggregator.Flow(FlowMove.ExitedJourney("jrn_2", JourneyExitReason.ExitTime, Noon));

        var flow = aggregator.Take().Flow.Select(f => (f.JourneyId, f.Minute, f.Counter, f.Count)).ToList();

        Assert.Equal(
        [
            ("jrn_1", Noon, "branch:stp_s:2", 1L), ("jrn_1", Noon, "entered", 2L), ("jrn_1", Noon, "step_in:stp_a", 1L),
            ("jrn_1", Noon, "step_out:stp_a", 1L), ("jrn_1", Noon.AddMinutes(1), "entered", 1L), ("jrn_2", Noon, "exit:exit_time", 1L),
        ], flow);
    }

    [Fact]
    public void Percentiles_come_from_summed_buckets_and_interpolate_inside_a_bucket()
    {
        var buckets = new long[LatencyHistogram.BucketCount];
        buckets[LatencyHistogram.BucketOf(0.04)] = 50;   // (25 ms, 50 ms]
        buckets[LatencyHistogram.BucketOf(0.4)] = 49;    // (250 ms, 500 ms]
        buckets[LatencyHistogram.BucketOf(4000)] = 1;    // above the last bound

        Assert.Equal(0.05, LatencyHistogram.Percentile(buckets, 0.5)!.Value, 6);
        Assert.Equal(0.5, LatencyHistogram.Percentile(buckets, 0.99)!.Value, 6);
        Assert.Equal(3600, LatencyHistogram.Percentile(buckets, 1)!.Value);
        Assert.Equal(0.025 + 0.025 * 0.2, LatencyHistogram.Percentile(buckets, 0.1)!.Value, 6); // rank 10 of 50 in (25, 50] ms
        Assert.Null(LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.5));
        Assert.Equal(0, LatencyHistogram.BucketOf(0));
        Assert.Equal(LatencyHistogram.Bounds.Count, LatencyHistogram.BucketOf(3601));
    }

    [Fact]
    public void A_series_folds_minutes_into_the_points_of_its_window_and_leaves_out_older_ones()
    {
        var now = Noon.AddSeconds(30);
        static long[] At(double seconds, long count)
        {
            var buckets = new long[LatencyHistogram.BucketCount];
            buckets[LatencyHistogram.BucketOf(seconds)] = count;
            return buckets;
        }
        DeliveryMinute[] minutes =
        [
            new("dst", Noon.AddHours(-2), 100, 0, 0, At(1, 100)),          // before both windows' hour; inside the day
            new("dst", Noon.AddMinutes(-59), 3, 1, 0, At(0.04, 3)),         // the hour's first minute
            new("dst", Noon, 5, 0, 2, At(0.4, 5)),                           // the current minute: the last point
            new("dst", Noon.AddMinutes(-30), 2, 0, 0, At(0.04, 2)),
        ];

        var hour = DeliverySeries.Of("dst", HistoryWindow.Hour, now, minutes);
        var day = DeliverySeries.Of("dst", HistoryWindow.Day, now, minutes);

        Assert.Equal(60, hour.Points.Count);
        Assert.Equal(Noon.AddMinutes(-59), hour.From);
        Assert.Equal((3L, 1L, 0L), (hour.Points[0].Delivered, hour.Points[0].Retried, hour.Points[0].Failed));
        Assert.Equal((5L, 2L), (hour.Points[^1].Delivered, hour.Points[^1].Failed));
        Assert.Equal((10L, 1L, 2L), (hour.Delivered, hour.Retried, hour.Failed));
        Assert.Equal(0.05, hour.P50Seconds!.Value, 6);                       // 5 of 10 at most 50 ms
        Assert.Equal(0.25 + 0.25 * 4.9 / 5, hour.P99Seconds!.Value, 6);      // rank 9.9: 4.9 into the 5 in (250, 500] ms
        Assert.Null(hour.Points[1].P50Seconds);
        Assert.Equal(144, day.Points.Count);
        Assert.Equal(Noon.AddMinutes(10), day.To);                              // the point holding now's minute is the last
        Assert.All(day.Points, p => Assert.Equal(0, p.Start.Minute % 10));
        Assert.Equal(110, day.Delivered);
        Assert.Equal(100, day.Points.Single(p => p.Start <= Noon.AddHours(-2) && Noon.AddHours(-2) < p.Start + day.Step).Delivered);
    }

    [Fact]
    public void A_journeys_flow_sums_its_counters_by_step_branch_and_exit_reason()
    {
        FlowMinute[] minutes =
        [
            new("jrn", Noon, FlowCounters.Entered, 4),
            new("jrn", Noon.AddMinutes(-3), FlowCounters.Entered, 1),
            new("jrn", Noon, FlowCounters.StepEntered("stp_a"), 5),
            new("jrn", Noon, FlowCounters.StepExited("stp_a"), 2),
            new("jrn", Noon, FlowCounters.Branch("stp_split", 1), 3),
            new("jrn", Noon, FlowCounters.Branch("stp_split", 0), 2),
            new("jrn", Noon, FlowCounters.Exited(JourneyExitReason.ExitEvent), 1),
            new("jrn", Noon, FlowCounters.Exited(JourneyExitReason.Archived), 1),
            new("jrn", Noon.AddDays(-2), FlowCounters.Entered, 50),
        ];

        var flow = JourneyFlow.Of("jrn", HistoryWindow.Day, Noon, minutes);

        Assert.Equal(5, flow.Entered);
        Assert.Equal((5L, 2L), (flow.EnteredStep("stp_a"), flow.ExitedStep("stp_a")));
        Assert.Equal((2L, 3L, 0L), (flow.BranchTaken("stp_split", 0), flow.BranchTaken("stp_split", 1), flow.BranchTaken("stp_split", 2)));
        Assert.Equal(new Dictionary<string, long> { ["archived"] = 1, ["exit_event"] = 1 }, flow.Exits);
        Assert.Equal(2, flow.Exited);
    }
}
