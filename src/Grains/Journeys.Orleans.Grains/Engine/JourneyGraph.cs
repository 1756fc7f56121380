using System.Runtime.CompilerServices;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Engine;

/// <summary>
/// A published journey's steps as a graph: the first step, and where each step leads. Built once per
/// <see cref="JourneyInfo"/> instance and cached beside it.
/// </summary>
public sealed class JourneyGraph
{
    private static readonly ConditionalWeakTable<JourneyInfo, JourneyGraph> Graphs = new();

    private readonly Dictionary<string, StepInfo> _byRef;
    private readonly Dictionary<string, StepInfo> _byId;
    private readonly Dictionary<string, StepInfo?> _next;

    private JourneyGraph(JourneyInfo journey)
    {
        Journey = journey;
        _byRef = new Dictionary<string, StepInfo>(StringComparer.Ordinal);
        _byId = new Dictionary<string, StepInfo>(StringComparer.Ordinal);
        _next = new Dictionary<string, StepInfo?>(StringComparer.Ordinal);
        foreach (var step in journey.Steps)
        {
            _byId[step.Id] = step;
            if (step.Ref.Length > 0) _byRef.TryAdd(step.Ref, step);
        }
        for (var i = 0; i < journey.Steps.Count; i++)
        {
            var step = journey.Steps[i];
            _next[step.Id] = step.Next switch
            {
                null => i + 1 < journey.Steps.Count ? journey.Steps[i + 1] : null,
                StepRefs.End => null,
                var reference => ByRef(reference),
            };
        }
    }

    /// <summary>The graph of <paramref name="journey"/>.</summary>
    public static JourneyGraph Of(JourneyInfo journey) => Graphs.GetValue(journey, j => new JourneyGraph(j));

    /// <summary>A step of a published journey, or null when the catalog has no such journey or step.</summary>
    public static StepInfo? StepOf(PublishedCatalog? catalog, string journeyId, string stepId) =>
        catalog?.Journeys.FirstOrDefault(j => j.Id == journeyId) is { } journey ? Of(journey).Step(stepId) : null;

    public JourneyInfo Journey { get; }

    /// <summary>Where users start; null for a journey without steps.</summary>
    public StepInfo? First => Journey.Steps.Count > 0 ? Journey.Steps[0] : null;

    /// <summary>The step with this id, or null when the journey has none (a position on a step of another definition).</summary>
    public StepInfo? Step(string stepId) => _byId.GetValueOrDefault(stepId);

    /// <summary>The step with this ref, or null.</summary>
    public StepInfo? ByRef(string? reference) => reference is null ? null : _byRef.GetValueOrDefault(reference);

    /// <summary>Where users go after <paramref name="step"/> (not a split); null when the path ends there.</summary>
    public StepInfo? Next(StepInfo step) => _next.GetValueOrDefault(step.Id);

    /// <summary>True for steps users wait in: a condition or a delay.</summary>
    public static bool IsWait(StepInfo step) => step.Kind is StepKind.Condition or StepKind.Delay;
}
