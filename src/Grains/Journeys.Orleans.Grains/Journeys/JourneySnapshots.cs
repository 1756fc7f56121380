using Journeys.Orleans.Model;

namespace Journeys.Orleans.Catalog;

/// <summary>How a journey pushes its snapshot to the space without a step's own push overtaking it.</summary>
public static class JourneySnapshots
{
    /// <summary>Rounds after which a journey whose steps keep changing stops pushing (the next change pushes again).</summary>
    public const int MaxRounds = 5;

    /// <summary>
    /// Pushes <paramref name="journey"/> (with <paramref name="others"/>, in the same catalog), then reads its steps
    /// again until they are what it pushed. A step renamed or connected after the journey read it pushes its change
    /// itself, and that push may reach the space before the journey's older snapshot, which would undo it; reading
    /// again after an acknowledged push catches that, and any step change after the last read reaches the space after
    /// the last push. Returns the journey as last pushed.
    /// </summary>
    public static async Task<JourneyInfo> PushAsync(
        JourneyInfo journey, IReadOnlyList<JourneyInfo> others,
        Func<IReadOnlyList<JourneyInfo>, Task> push, Func<Task<IReadOnlyList<StepInfo>>> readSteps)
    {
        await push([journey, .. others]);
        for (var round = 1; round < MaxRounds; round++)
        {
            var steps = await readSteps();
            if (SameSteps(steps, journey.Steps)) return journey;
            journey = journey with { Steps = steps };
            await push([journey]);
        }
        return journey;
    }

    /// <summary>The same steps, each with the same key, definition and connections.</summary>
    public static bool SameSteps(IReadOnlyList<StepInfo> a, IReadOnlyList<StepInfo> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Id == p.Second.Id && p.First.Key == p.Second.Key
            && p.First.ToDefinition() == p.Second.ToDefinition() && p.First.Connections.SequenceEqual(p.Second.Connections));
}
