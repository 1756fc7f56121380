using System.Globalization;
using System.Runtime.CompilerServices;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Engine;

/// <summary>
/// The "performed event" conditions of a catalog, by signature (the event name, plus its property filters): what the
/// per-user grain must tally when an event arrives, and how many recent occurrences each tally must keep.
/// </summary>
public sealed class EventPredicates
{
    /// <summary>The most occurrences a tally keeps (conditions count at most 100).</summary>
    public const int MaxKept = 101;

    private static readonly ConditionalWeakTable<PublishedCatalog, EventPredicates> Cache = new();

    private readonly Dictionary<string, int> _keep = new(StringComparer.Ordinal);
    private readonly List<(string Signature, Condition Condition)> _filtered = [];

    private EventPredicates(PublishedCatalog catalog)
    {
        foreach (var condition in catalog.Journeys.SelectMany(j => j.Steps.Select(s => s.Condition).Prepend(j.EntryCondition)))
            Collect(condition);
    }

    /// <summary>The predicates of <paramref name="catalog"/>, computed once per catalog version.</summary>
    public static EventPredicates Of(PublishedCatalog catalog) => Cache.GetValue(catalog, c => new EventPredicates(c));

    /// <summary>The tallies an event adds to: its name's, and those of the filtered predicates it matches.</summary>
    public IEnumerable<(string Signature, int Keep)> TalliesFor(TrackEvent trackEvent)
    {
        yield return (trackEvent.Event, KeepFor(trackEvent.Event));
        foreach (var (signature, condition) in _filtered)
        {
            if (condition.EventName == trackEvent.Event && condition.PropertyFilters.All(f => Matches(f, trackEvent.Properties)))
                yield return (signature, KeepFor(signature));
        }
    }

    /// <summary>The tally a performed-event condition reads.</summary>
    public static string Signature(Condition condition) =>
        condition.PropertyFilters.Count == 0
            ? condition.EventName ?? ""
            : condition.EventName + "\u001f" + string.Join("\u001f", condition.PropertyFilters
                .Select(f => $"{f.Property}\u001e{f.Comparison}\u001e{f.Value}").Order(StringComparer.Ordinal));

    /// <summary>Compares <paramref name="actual"/> (null when absent) with <paramref name="expected"/>; numbers as numbers.</summary>
    public static bool Compare(string? actual, Comparison comparison, string? expected) => comparison switch
    {
        Comparison.Exists => actual is not null,
        Comparison.Equals => actual is not null && (string.Equals(actual, expected, StringComparison.Ordinal) || NumbersEqual(actual, expected)),
        Comparison.NotEquals => !(actual is not null && (string.Equals(actual, expected, StringComparison.Ordinal) || NumbersEqual(actual, expected))),
        Comparison.Contains => actual is not null && expected is not null && actual.Contains(expected, StringComparison.Ordinal),
        Comparison.GreaterThan => Number(actual) is { } a && Number(expected) is { } b && a > b,
        Comparison.LessThan => Number(actual) is { } a2 && Number(expected) is { } b2 && a2 < b2,
        _ => false,
    };

    private int KeepFor(string signature) => _keep.TryGetValue(signature, out var keep) ? keep : 2;

    private void Collect(Condition? condition)
    {
        if (condition is null) return;
        if (condition.Kind == ConditionKind.PerformedEvent)
        {
            var signature = Signature(condition);
            var keep = Math.Clamp(condition.Count + 1, 2, MaxKept);
            _keep[signature] = Math.Max(keep, _keep.GetValueOrDefault(signature));
            if (condition.PropertyFilters.Count > 0 && _filtered.All(f => f.Signature != signature)) _filtered.Add((signature, condition));
        }
        foreach (var child in condition.Conditions) Collect(child);
    }

    private static bool Matches(PropertyFilter filter, IReadOnlyDictionary<string, string?> properties) =>
        Compare(properties.TryGetValue(filter.Property, out var value) ? value : null, filter.Comparison, filter.Value);

    private static bool NumbersEqual(string actual, string? expected) =>
        Number(actual) is { } a && Number(expected) is { } b && a == b;

    private static decimal? Number(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
