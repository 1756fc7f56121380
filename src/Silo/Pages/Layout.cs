using System.Net;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>The pages' shared frame: one stylesheet, a nav (Journeys · Pipelines · Orleans dashboard), HTML encoding.</summary>
public static class Layout
{
    private const string Style =
        "body{font-family:sans-serif;margin:0;color:#222;background:#fff}main{margin:1.5em 2em}"
        + "nav{background:#1f3b57;padding:.6em 2em}nav a{color:#fff;margin-right:1.5em;text-decoration:none;font-weight:bold}"
        + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#eef2f6}"
        + "td.num,th.num{text-align:right}small,.muted{color:#666}.failures{font-size:small;color:#a00}"
        + ".chain{display:flex;flex-wrap:wrap;align-items:center;gap:.5em}.arrow{font-size:2em;color:#1f3b57}"
        + ".step{border:2px solid #1f3b57;border-radius:8px;padding:.6em .9em;min-width:12em;background:#f4f8fc}"
        + ".step.kind-SendToDestinations{border-color:#2e7d32;background:#eef7ee}.step.kind-Delay{border-color:#b26a00;background:#fdf5e8}"
        + ".step h3{margin:0 0 .3em}.step .key{font-family:monospace;font-size:small;word-break:break-all}"
        + ".graph .step{height:100%;box-sizing:border-box;overflow:hidden;min-width:0}.step .members{display:block;margin-top:.3em;font-weight:bold}"
        + ".step.kind-TrueFalseSplit,.step.kind-MultiBranchSplit,.step.kind-RandomizedSplit{border-color:#6a1b9a;background:#f6effa}"
        + ".entered{color:#2e7d32;font-weight:bold}.exited{color:#a00;font-weight:bold}form{margin:.5em 0 1.5em}input{margin-right:.5em}";

    /// <summary>A whole page: <paramref name="body"/> is HTML already (encode its text with <see cref="E"/>).</summary>
    public static string Document(string title, string body, bool nav = true, string? spaceId = null)
    {
        var space = spaceId is null ? "" : "?spaceId=" + Uri.EscapeDataString(spaceId);
        var links = nav
            ? $"<nav><a href=\"/journeys/{space}\">Journeys</a><a href=\"/journeys/pipelines{space}\">Pipelines</a>"
              + "<a href=\"/journeys/users" + space + "\">Users</a><a href=\"/dashboard/\">Orleans dashboard</a></nav>"
            : "";
        return $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{E(title)}</title><style>{Style}</style></head>"
            + $"<body>{links}<main>{body}</main></body></html>";
    }

    /// <summary>HTML-encodes text (null becomes empty).</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A URL-encoded query value.</summary>
    public static string Q(string? value) => Uri.EscapeDataString(value ?? "");

    /// <summary>A time as the pages show it (UTC, to the second).</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC";

    /// <summary>An HTML page result.</summary>
    public static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");
}
