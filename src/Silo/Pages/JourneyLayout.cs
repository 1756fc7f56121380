using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// Where each step of a journey goes on the page: steps in columns by their longest distance from the first step,
/// so every edge points right; the edges carry branch labels ("pro", "timeout", "50%"). Cards are stacked in their
/// column by the browser and grow with their content; the layout's heights are what each card is expected to need
/// (<see cref="CardHeightOf"/>, a minimum the card keeps), which places the edges.
/// </summary>
public sealed class JourneyLayout
{
    public const int CardWidth = 250;
    public const int CardHeight = 170;
    public const int ColumnGap = 90;
    public const int RowGap = 30;

    /// <summary>One edge between two steps, by index.</summary>
    public sealed record Edge(int From, int To, string? Label, int? Branch = null);

    private JourneyLayout(IReadOnlyList<(int Column, int Row)> positions, IReadOnlyList<Edge> edges, IReadOnlyList<int> heights)
    {
        Positions = positions;
        Edges = edges;
        Heights = heights;
        var tops = new int[positions.Count];
        var bottoms = new Dictionary<int, int>();
        // Steps of a column in row order (rows are handed out in definition order).
        for (var i = 0; i < positions.Count; i++)
        {
            var top = bottoms.TryGetValue(positions[i].Column, out var bottom) ? bottom + RowGap : 0;
            tops[i] = top;
            bottoms[positions[i].Column] = top + heights[i];
        }
        Tops = tops;
        Height = bottoms.Count == 0 ? 1 : bottoms.Values.Max();
    }

    /// <summary>Per step (in definition order): its column and row.</summary>
    public IReadOnlyList<(int Column, int Row)> Positions { get; }

    public IReadOnlyList<Edge> Edges { get; }

    /// <summary>Per step: the height its card is given at least.</summary>
    public IReadOnlyList<int> Heights { get; }

    /// <summary>Per step: where its card starts in its column, if every card above it is as high as expected.</summary>
    public IReadOnlyList<int> Tops { get; }

    public int Width => (Positions.Count == 0 ? 1 : Positions.Max(p => p.Column) + 1) * (CardWidth + ColumnGap);

    public int Height { get; }

    public static int Left(int column) => column * (CardWidth + ColumnGap);

    /// <summary>The middle of a step's card, where its edges meet it.</summary>
    public int MiddleOf(int step) => Tops[step] + Heights[step] / 2;

    /// <summary>
    /// What a card is expected to need: the usual card, plus a line for each wrap of a long name, key or detail and for
    /// each connection past the second (at the card's width, about 26 characters of a name, 32 of a key, 40 of the rest).
    /// </summary>
    public static int CardHeightOf(StepInfo step, string detail)
    {
        static int Extra(int length, int perLine, int usualLines) => Math.Max(0, (length + perLine - 1) / perLine - usualLines);
        var lines = Extra(step.Name.Length, 26, 1) + Extra(step.Key.Length, 32, 2) + Extra(detail.Length, 40, 1)
            + step.Connections.Sum(c => Extra(c.DestinationName.Length + c.DestinationId.Length + 10, 40, 1))
            + Math.Max(0, step.Connections.Count - 2);
        return CardHeight + 20 * lines;
    }

    public static JourneyLayout Of(IReadOnlyList<StepInfo> steps)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++) index.TryAdd(steps[i].Ref, i);
        var edges = new List<Edge>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            void Add(string? target, string? label, int? branch = null)
            {
                if (target is not null && index.TryGetValue(target, out var to)) edges.Add(new Edge(i, to, label, branch));
            }
            if (step.Kind is StepKind.TrueFalseSplit or StepKind.MultiBranchSplit or StepKind.RandomizedSplit)
            {
                for (var b = 0; b < step.Branches.Count; b++)
                {
                    var branch = step.Branches[b];
                    Add(branch.Next, branch.Percent is { } percent ? $"{branch.Name} · {percent}%" : branch.Name, b);
                }
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
        return new JourneyLayout(positions, edges, steps.Select(step => CardHeightOf(step, StepCard.DetailOf(step))).ToList());
    }
}
