using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>
/// The step grain's state: its definition as given (<see cref="Definition"/>), its key and its connections. A state
/// saved before the definition was kept whole has its fields one by one under the obsolete ids instead;
/// <see cref="MoveLegacyFields"/> moves them into the record when the state is read.
/// </summary>
[GenerateSerializer, Alias("journeys.state.Step")]
public sealed class StepState
{
    private const string Legacy = "Saved field by field before the definition was kept whole; read only by MoveLegacyFields.";

    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2)] public string JourneyId { get; set; } = "";
    [Id(3), Obsolete(Legacy)] public string Name { get; set; } = "";
    [Id(4), Obsolete(Legacy)] public StepKind Kind { get; set; }
    [Id(5)] public string Key { get; set; } = "";
    [Id(6), Obsolete(Legacy)] public Condition? Condition { get; set; }
    [Id(7), Obsolete(Legacy)] public ExitBehaviour ExitBehaviour { get; set; }
    [Id(8)] public List<ConnectionInfo> Connections { get; set; } = [];
    [Id(9), Obsolete(Legacy)] public TimeSpan? Delay { get; set; }
    [Id(10), Obsolete(Legacy)] public string Ref { get; set; } = "";
    [Id(11), Obsolete(Legacy)] public string? Next { get; set; }
    [Id(12), Obsolete(Legacy)] public List<StepBranch> Branches { get; set; } = [];
    [Id(13), Obsolete(Legacy)] public TimeSpan? Timeout { get; set; }
    [Id(14), Obsolete(Legacy)] public string? TimeoutNext { get; set; }

    /// <summary>The definition the step was created with (a rename changes its name); null only in a state saved field by field.</summary>
    [Id(15)] public StepDefinition? Definition { get; set; }

    /// <summary>The step whose lists this step's list destinations keep (a kept key's first version); null: this step.</summary>
    [Id(16)] public string? ListStepId { get; set; }

    /// <summary>The definition, from <see cref="Definition"/> or, in a state saved field by field, from those fields.</summary>
    public StepDefinition Current => Definition ?? MoveLegacyFields();

#pragma warning disable CS0618 // the one place that reads the fields of a state saved before the record
    /// <summary>Moves a definition saved field by field into <see cref="Definition"/> (once; the fields are then cleared).</summary>
    public StepDefinition MoveLegacyFields()
    {
        if (Definition is not null) return Definition;
        Definition = new StepDefinition
        {
            Name = Name, Kind = Kind, Condition = Condition, ExitBehaviour = ExitBehaviour, Delay = Delay, Ref = Ref, Next = Next,
            Branches = Branches.ToList(), Timeout = Timeout, TimeoutNext = TimeoutNext,
        };
        (Name, Kind, Condition, ExitBehaviour, Delay, Ref, Next, Branches, Timeout, TimeoutNext) =
            ("", default, null, default, null, "", null, [], null, null);
        return Definition;
    }
#pragma warning restore CS0618

    /// <summary>The step as callers and the catalog see it.</summary>
    public StepInfo ToInfo(string stepId) => StepInfo.Of(stepId, JourneyId, SpaceId, Key, Current,
        Connections.Select(c => c.DestinationKind == DestinationKind.List ? c with { ListStepId = ListStepId } : c).ToList(), ListStepId);
}

/// <summary>The step key registry's state: every key issued with one prefix.</summary>
[GenerateSerializer, Alias("journeys.state.StepKeys")]
public sealed class StepKeysState
{
    [Id(0)] public HashSet<string> Issued { get; set; } = new(StringComparer.Ordinal);
}
