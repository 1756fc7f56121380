using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// Where each step of a journey goes on the page: steps in columns by their longest distance from the first step,
/// so every edge points right; the edges carry branch labels ("pro", "timeout", "50%").
/// </summary>
public sealed class JourneyLayout
{
    public const int CardWidth = 250;
    public const int CardHeight = 170;
    public const int ColumnGap = 90;
    public const int RowGap = 30;

    /// <summary>One edge between two steps, by index.</summary>
    public sealed record Edge(int From, int To, string? Label);

    private JourneyLayout(IReadOnlyList<(int Column, int Row)> positions, IReadOnlyList<Edge> edges)
    {
        Positions = positions;
        Edges = edges;
    }

    /// <summary>Per step (in definition order): its column and row.</summary>
    public IReadOnlyList<(int Column, int Row)> Positions { get; }

    public IReadOnlyList<Edge> Edges { get; }

    public int Width => (Positions.Count == 0 ? 1 : Positions.Max(p => p.Column) + 1) * (CardWidth + ColumnGap);

    public int Height => (Positions.Count == 0 ? 1 : Positions.Max(p => p.Row) + 1) * (CardHeight + RowGap);

    public static (int X, int Y) Origin((int Column, int Row) position) =>
        (position.Column * (CardWidth + ColumnGap), position.Row * (CardHeight + RowGap));

    public static JourneyLayout Of(IReadOnlyList<StepInfo> steps)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++) index.TryAdd(steps[i].Ref, i);
        var edges = new List<Edge>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            void Add(string? target, string? label)
            {
                if (target is not null && index.TryGetValue(target, out var to)) edges.Add(new Edge(i, to, label));
            }
            if (step.Kind is StepKind.TrueFalseSplit or StepKind.MultiBranchSplit or StepKind.RandomizedSplit)
            {
                foreach (var branch in step.Branches)
                    Add(branch.Next, branch.Percent is { } percent ? $"{branch.Name} · {percent}%" : branch.Name);
            }
            else if (step.Next is null)
            {
                if (i + 1 < steps.Count) edges.Add(new Edge(i, i + 1, null));
            }
            else
            {
                Add(step.Next, null);
            }
            Add(step.TimeoutNext, "timeout");
        }

        // Longest distance from the start, relaxed at most once per step: a draft with a cycle still gets a layout.
        var column = new int[steps.Count];
        for (var round = 0; round < steps.Count; round++)
        {
            var changed = false;
            foreach (var edge in edges)
            {
                if (column[edge.To] < column[edge.From] + 1 && edge.To != 0)
                {
                    column[edge.To] = Math.Min(column[edge.From] + 1, steps.Count);
                    changed = true;
                }
            }
            if (!changed) break;
        }
        var rows = new Dictionary<int, int>();
        var positions = new List<(int, int)>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            rows.TryGetValue(column[i], out var row);
            positions.Add((column[i], row));
            rows[column[i]] = row + 1;
        }
        return new JourneyLayout(positions, edges);
    }
}
