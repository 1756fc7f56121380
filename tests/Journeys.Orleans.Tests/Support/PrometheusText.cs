using System.Globalization;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// Reads Prometheus' text exposition format as a scrape returns it: <c>name{label="value",…} value [timestamp]</c>
/// per sample, comments skipped.
/// </summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    /// <summary>Scrapes <c>/metrics</c> of the silo at <paramref name="siloUrl"/> with the admin token as a bearer token.</summary>
    public static async Task<PrometheusText> ScrapeAsync(HttpClient http, string siloUrl, string adminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, siloUrl + "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    public PrometheusText(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name, rest;
            var brace = line.IndexOf('{');
            if (brace >= 0)
            {
                var close = line.LastIndexOf('}');
                name = line[..brace];
                foreach (var pair in SplitLabels(line[(brace + 1)..close]))
                {
                    var eq = pair.IndexOf('=');
                    labels[pair[..eq]] = pair[(eq + 2)..^1].Replace("\\\"", "\"").Replace("\\\\", "\\");
                }
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ');
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            var value = rest.Split(' ')[0];
            _samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }
    }

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>; 0 when none.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>Every sample's name.</summary>
    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    /// <summary>Whether any sample is named <paramref name="name"/>.</summary>
    public bool Has(string name) => _samples.Any(s => s.Name == name);

    private static IEnumerable<string> SplitLabels(string labels)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] == '\\') { i++; continue; }
            if (labels[i] == '"') quoted = !quoted;
            else if (labels[i] == ',' && !quoted)
            {
                yield return labels[start..i];
                start = i + 1;
            }
        }
        if (start < labels.Length) yield return labels[start..];
    }
}
