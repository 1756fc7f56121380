using System.Globalization;
using System.Text.Json.Nodes;

namespace Journeys.Orleans.Cli;

/// <summary>
/// Shows long work's progress (a WorkProgress as the management API writes it): one line, or with watching a bar
/// redrawn in place on a terminal, and a plain line every 5 seconds when the output goes to a file or a pipe, where a
/// redrawn bar would be a wall of carriage returns. Watching ends when the work has finished.
/// </summary>
internal sealed class ProgressDisplay(TextWriter output, bool terminal)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads the progress with <paramref name="read"/> (null: there is none) until the work has finished.</summary>
    public async Task WatchAsync(Func<Task<JsonNode?>> read, string none)
    {
        var lastLine = DateTimeOffset.MinValue;
        var drawn = false;
        while (true)
        {
            var progress = await read();
            if (progress is null)
            {
                if (drawn) output.WriteLine();
                output.WriteLine(none);
                return;
            }
            var running = progress["running"]?.GetValue<bool>() ?? false;
            if (terminal)
            {
                output.Write("\r" + Bar(progress) + "\u001b[K");
                drawn = true;
            }
            else if (!running || DateTimeOffset.UtcNow - lastLine >= LineEvery)
            {
                output.WriteLine(Line(progress));
                lastLine = DateTimeOffset.UtcNow;
            }
            if (!running) break;
            await Task.Delay(terminal ? RedrawEvery : TimeSpan.FromSeconds(1));
        }
        if (drawn) output.WriteLine();
    }

    /// <summary>"backfill 400/1000 users (40%) · 12.5/s · started … · ends about …" (or "· finished …").</summary>
    public static string Line(JsonNode progress)
    {
        var (done, total) = (Long(progress, "done"), Long(progress, "total"));
        var parts = new List<string> { $"{Kind(progress)} {done}/{total} {Unit(progress)} ({Percent(done, total)}%)" };
        if (progress["ratePerSecond"] is { } rate) parts.Add(rate.GetValue<double>().ToString("0.#", CultureInfo.InvariantCulture) + "/s");
        parts.Add("started " + Time(progress["startedAt"]));
        if (progress["finishedAt"] is { } finished) parts.Add("finished " + Time(finished));
        else if (progress["estimatedEnd"] is { } end) parts.Add("ends about " + Time(end));
        return string.Join(" · ", parts);
    }

    /// <summary>"[#########.....................]  30% 300/1000 users · 12.5/s · ends about …".</summary>
    public static string Bar(JsonNode progress)
    {
        var (done, total) = (Long(progress, "done"), Long(progress, "total"));
        var filled = total == 0 ? BarWidth : (int)(BarWidth * Math.Min(done, total) / total);
        var tail = progress["finishedAt"] is { } finished ? "finished " + Time(finished)
            : progress["estimatedEnd"] is { } end ? "ends about " + Time(end) : "";
        var rate = progress["ratePerSecond"] is { } r ? r.GetValue<double>().ToString("0.#", CultureInfo.InvariantCulture) + "/s · " : "";
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}] {Percent(done, total),3}% {done}/{total} {Unit(progress)} · {rate}{tail}";
    }

    private static long Long(JsonNode progress, string name) => progress[name]?.GetValue<long>() ?? 0;

    private static long Percent(long done, long total) => total == 0 ? 100 : 100 * Math.Min(done, total) / total;

    private static string Kind(JsonNode progress) => progress["kind"]?.GetValue<string>() switch
    {
        "Backfill" => "backfill",
        "ArchiveSweep" => "archive sweep",
        "ListMirror" => "list mirror",
        "ConnectBackfill" => "connect backfill",
        var other => other ?? "work",
    };

    private static string Unit(JsonNode progress) => progress["kind"]?.GetValue<string>() is "ListMirror" or "ConnectBackfill" ? "members" : "users";

    private static string Time(JsonNode? at) =>
        at is null ? "" : DateTimeOffset.Parse(at.GetValue<string>(), CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
