using System.Globalization;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// How the pages show a <see cref="WorkProgress"/>; Assets/progress.js writes the same text when it updates a bar, so
/// the two change together.
/// </summary>
public static class WorkText
{
    /// <summary>The script that keeps the bars current, served by the silo (the pages' policy loads scripts from it only).</summary>
    public const string ScriptPath = "/journeys/assets/progress.js";

    public static string Label(WorkKind kind) => kind switch
    {
        WorkKind.Backfill => "Backfill",
        WorkKind.ArchiveSweep => "Archive sweep",
        WorkKind.ListMirror => "List mirror",
        WorkKind.ConnectBackfill => "Connect backfill",
        _ => kind.ToString(),
    };

    /// <summary>"40 / 100 users · 12.5/s · started … · ends about …" (or "· finished …").</summary>
    public static string Of(WorkProgress progress)
    {
        var parts = new List<string> { $"{progress.Done} / {progress.Total} {(progress.Kind is WorkKind.ListMirror or WorkKind.ConnectBackfill ? "members" : "users")}" };
        if (progress.RatePerSecond is { } rate) parts.Add(rate.ToString("0.#", CultureInfo.InvariantCulture) + "/s");
        parts.Add("started " + PageText.Time(progress.StartedAt));
        if (progress.FinishedAt is { } finished) parts.Add("finished " + PageText.Time(finished));
        else if (progress.EstimatedEnd is { } end) parts.Add("ends about " + PageText.Time(end));
        return string.Join(" · ", parts);
    }

    /// <summary>A finished walk over nobody is a full bar, not an empty one.</summary>
    public static long Max(WorkProgress progress) => Math.Max(1, progress.Total);

    public static long Value(WorkProgress progress) => progress.Total == 0 && !progress.Running ? 1 : progress.Done;
}
