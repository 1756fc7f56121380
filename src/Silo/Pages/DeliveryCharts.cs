using System.Globalization;
using System.Net;
using System.Text;
using Journeys.Orleans.Telemetry.History;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// A destination's delivery history drawn as inline SVG on the server (no script, nothing fetched): stacked bars of
/// delivered, retried and failed payloads per point, and the p50 / p99 latency per point as lines with dots. Every bar
/// and dot carries its value (<c>data-value</c>) and the start of its point (<c>data-start</c>), so what is drawn can be
/// checked against what is stored.
/// </summary>
public static class DeliveryCharts
{
    public const int Width = 560;
    public const int Height = 150;
    private const int Left = 62;
    private const int Right = 8;
    private const int Top = 14;
    private const int Bottom = 20;

    public static readonly (string Outcome, string Color)[] Outcomes = [("delivered", "#2e7d32"), ("retried", "#e0a100"), ("failed", "#c62828")];

    /// <summary>The counts chart: one column per point, its outcomes stacked (delivered at the bottom).</summary>
    public static string Counts(DeliverySeries series)
    {
        var max = Math.Max(1, series.Points.Max(p => p.Delivered + p.Retried + p.Failed));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / series.Points.Count;
        var bar = Math.Max(1, slot * 0.8);
        var svg = Open("counts", $"Delivered, retried and failed per {Per(series.Step)}");
        Axes(svg, series, Number(max), plotHeight);
        for (var i = 0; i < series.Points.Count; i++)
        {
            var point = series.Points[i];
            var y = (double)(Top + plotHeight);
            foreach (var (outcome, color) in Outcomes)
            {
                var value = outcome switch { "delivered" => point.Delivered, "retried" => point.Retried, _ => point.Failed };
                if (value == 0) continue;
                var height = Math.Max(1, value * (double)plotHeight / max);
                y -= height;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"bar {outcome}\" data-outcome=\"{outcome}\" data-start=\"{Iso(point.Start)}\" data-value=\"{value}\" x=\"{F(Left + i * slot)}\" y=\"{F(y)}\" width=\"{F(bar)}\" height=\"{F(height)}\" fill=\"{color}\"><title>{At(point.Start)}: {value} {outcome}</title></rect>");
            }
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The latency chart: p50 and p99 of the delivered payloads of each point that delivered any, in seconds.</summary>
    public static string Latency(DeliverySeries series)
    {
        var measured = series.Points.Select((p, i) => (Point: p, Index: i)).Where(p => p.Point.P99Seconds is not null).ToList();
        var max = Math.Max(0.001, measured.Count == 0 ? 0 : measured.Max(p => p.Point.P99Seconds!.Value));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / series.Points.Count;
        var svg = Open("latency", "Delivery latency p50 and p99");
        Axes(svg, series, Seconds(max), plotHeight);
        foreach (var (name, color, read) in new (string, string, Func<DeliveryPoint, double?>)[]
                 { ("p99", "#c62828", p => p.P99Seconds), ("p50", "#1f3b57", p => p.P50Seconds) })
        {
            var xy = measured.Select(m => (m.Point, X: Left + (m.Index + 0.5) * slot, Y: Top + plotHeight - read(m.Point)!.Value / max * plotHeight)).ToList();
            if (xy.Count > 1)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<polyline class=\"line {name}\" points=\"{string.Join(' ', xy.Select(p => F(p.X) + "," + F(p.Y)))}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" />");
            foreach (var (point, x, y) in xy)
                svg.Append(CultureInfo.InvariantCulture,
                    $"<circle class=\"point {name}\" data-start=\"{Iso(point.Start)}\" data-value=\"{F(read(point)!.Value, "0.######")}\" cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"2.5\" fill=\"{color}\"><title>{At(point.Start)}: {name} {Seconds(read(point)!.Value)}</title></circle>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A latency as the pages show it: milliseconds below a second, seconds below ten minutes, else minutes.</summary>
    public static string Seconds(double seconds) => seconds switch
    {
        < 1 => F(seconds * 1000, "0.#") + " ms",
        < 600 => F(seconds, "0.##") + " s",
        _ => F(seconds / 60, "0.#") + " min",
    };

    /// <summary>"minute" or "10 minutes": what one point of a window stands for.</summary>
    public static string Per(TimeSpan step) => step == TimeSpan.FromMinutes(1) ? "minute" : $"{step.TotalMinutes:0} minutes";

    private static StringBuilder Open(string kind, string label) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart {kind}\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(label)}\">");

    private static void Axes(StringBuilder svg, DeliverySeries series, string top, int plotHeight)
    {
        var bottom = Top + plotHeight;
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Left}\" y1=\"{bottom}\" x2=\"{Width - Right}\" y2=\"{bottom}\" stroke=\"#999\" /><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{bottom}\" stroke=\"#999\" />");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{Left - 4}\" y=\"{Top + 4}\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">{WebUtility.HtmlEncode(top)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{bottom}\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">0</text>");
        // A day's ends are the same time of day: they carry their date.
        var ends = series.To - series.From > TimeSpan.FromHours(12) ? "MM-dd HH:mm" : "HH:mm";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 4}\" font-size=\"10\" fill=\"#555\">{At(series.From, ends)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 4}\" text-anchor=\"end\" font-size=\"10\" fill=\"#555\">{At(series.To, ends)} UTC</text>");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string At(DateTimeOffset at, string format = "HH:mm") => at.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    private static string F(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
}
