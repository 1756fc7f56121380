namespace Journeys.Orleans.Silo.Pages;

/// <summary>How the pages write values into links and text; the components encode the HTML themselves.</summary>
public static class PageText
{
    /// <summary>A URL-encoded query value.</summary>
    public static string Q(string? value) => Uri.EscapeDataString(value ?? "");

    /// <summary>The text with its first letter in upper case, to start a heading or a link.</summary>
    public static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A stay's length, to the second: <c>2 h 5 min</c>, <c>3 min 2 s</c>, <c>0.4 s</c>.</summary>
    public static string Duration(TimeSpan span) => span switch
    {
        { TotalSeconds: < 0 } => "0 s",
        { TotalSeconds: < 10 } => $"{span.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s",
        { TotalMinutes: < 1 } => $"{(int)span.TotalSeconds} s",
        { TotalHours: < 1 } => $"{span.Minutes} min {span.Seconds} s",
        { TotalDays: < 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        _ => $"{(int)span.TotalDays} d {span.Hours} h",
    };

    /// <summary>A time as the pages show it (UTC, to the second).</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC";

    /// <summary>The query string that keeps the nav's links in <paramref name="spaceId"/>.</summary>
    public static string SpaceQuery(string? spaceId) => spaceId is null ? "" : "?spaceId=" + Q(spaceId);

    /// <summary>Renders <typeparamref name="TPage"/> as the whole response, with its parameters as an anonymous object.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<TPage> Page<TPage>(object parameters, int status = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = status };
}
