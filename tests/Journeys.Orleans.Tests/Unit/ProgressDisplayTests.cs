using System.Text.Json.Nodes;
using Journeys.Orleans.Cli;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>
/// The command line tool's progress display: a bar redrawn in place for a person at a terminal, plain lines no more
/// often than every 5 s otherwise, and watching ends when the work has finished.
/// </summary>
public sealed class ProgressDisplayTests
{
    private static JsonNode Progress(long done, long total, bool finished) => JsonNode.Parse($$"""
        {"kind": "Backfill", "done": {{done}}, "total": {{total}}, "startedAt": "2026-03-01T12:00:00+00:00",
         "ratePerSecond": 2.5, "estimatedEnd": "2026-03-01T12:00:40+00:00",
         "finishedAt": {{(finished ? "\"2026-03-01T12:00:40+00:00\"" : "null")}}, "running": {{(finished ? "false" : "true")}}}
        """)!;

    /// <summary>Answers each reading in turn, the last one again if asked more often.</summary>
    private static Func<Task<JsonNode?>> Readings(params JsonNode[] readings)
    {
        var next = 0;
        return () => Task.FromResult<JsonNode?>(readings[Math.Min(next++, readings.Length - 1)]);
    }

    [Fact]
    public void A_line_and_a_bar_show_done_total_percent_rate_and_the_end()
    {
        Assert.Equal("backfill 25/100 users (25%) · 2.5/s · started 2026-03-01 12:00:00 UTC · ends about 2026-03-01 12:00:40 UTC",
            ProgressDisplay.Line(Progress(25, 100, finished: false)));
        Assert.Equal("[#######.......................]  25% 25/100 users · 2.5/s · ends about 2026-03-01 12:00:40 UTC",
            ProgressDisplay.Bar(Progress(25, 100, finished: false)));
        Assert.Equal("[##############################] 100% 0/0 users · 2.5/s · finished 2026-03-01 12:00:40 UTC",
            ProgressDisplay.Bar(Progress(0, 0, finished: true)));
    }

    [Fact]
    public async Task On_a_terminal_the_bar_is_redrawn_in_place_until_the_work_has_finished()
    {
        var output = new StringWriter();

        await new ProgressDisplay(output, terminal: true).WatchAsync(
            Readings(Progress(1, 4, false), Progress(3, 4, false), Progress(4, 4, true), Progress(9, 9, false)), "none");

        var draws = output.ToString().Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, draws.Length);
        Assert.StartsWith("[#######.......................]  25% 1/4", draws[0]);
        Assert.StartsWith("[##############################] 100% 4/4", draws[2]);
        Assert.EndsWith("\u001b[K" + Environment.NewLine, draws[2]);
    }

    [Fact]
    public async Task Redirected_it_writes_a_plain_line_at_most_every_5_seconds_and_one_at_the_end()
    {
        var output = new StringWriter();

        await new ProgressDisplay(output, terminal: false).WatchAsync(
            Readings(Progress(1, 4, false), Progress(2, 4, false), Progress(4, 4, true)), "none");

        // Read every second: the second reading comes within 5 s of the first line, so only the first and the last show.
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("backfill 1/4 users (25%)", lines[0]);
        Assert.StartsWith("backfill 4/4 users (100%)", lines[1]);
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public async Task Without_any_work_it_says_so_and_stops()
    {
        var output = new StringWriter();

        await new ProgressDisplay(output, terminal: true).WatchAsync(() => Task.FromResult<JsonNode?>(null), "no backfill or archive sweep has run");

        Assert.Equal("no backfill or archive sweep has run" + Environment.NewLine, output.ToString());
    }
}
