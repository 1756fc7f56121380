using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>
/// The journey grain's state: its definition as given (<see cref="Definition"/>) and what the grain adds. A state saved
/// before the definition was kept whole has its fields one by one under the obsolete ids instead;
/// <see cref="MoveLegacyFields"/> moves them into the record when the state is read.
/// </summary>
[GenerateSerializer, Alias("journeys.state.Journey")]
public sealed class JourneyState
{
    private const string Legacy = "Saved field by field before the definition was kept whole; read only by MoveLegacyFields.";

    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2), Obsolete(Legacy)] public string Name { get; set; } = "";
    [Id(3), Obsolete(Legacy)] public Condition EntryCondition { get; set; } = new();
    [Id(4)] public JourneyStatus Status { get; set; }
    [Id(5)] public List<string> StepIds { get; set; } = [];
    [Id(6), Obsolete(Legacy)] public Condition? ExitCondition { get; set; }
    [Id(7), Obsolete(Legacy)] public bool AllowReEntry { get; set; }
    [Id(8), Obsolete(Legacy)] public TimeSpan? ExitAfter { get; set; }
    [Id(9), Obsolete(Legacy)] public string? ExitMatchProperty { get; set; }
    [Id(10), Obsolete(Legacy)] public bool BackfillOnPublish { get; set; }
    [Id(11)] public string LineageId { get; set; } = "";
    [Id(12)] public int Version { get; set; } = 1;
    [Id(13)] public string? SupersededBy { get; set; }

    /// <summary>
    /// On the first version only, saved before lineages had a grain of their own: the ids of every version, in order
    /// (itself first). Read once by <c>JourneyLineageGrain</c>; no longer written.
    /// </summary>
    [Id(14)] public List<string> VersionIds { get; set; } = [];

    /// <summary>How many users a backfill entered, when it finished before walks had a grain of their own.</summary>
    [Id(15)] public long BackfilledUsers { get; set; }

    /// <summary>Saved before walks had a grain of their own: a backfill to hand to the sweep grain on activation.</summary>
    [Id(16)] public bool BackfillPending { get; set; }

    /// <summary>Saved before walks had a grain of their own: an archive sweep to hand to the sweep grain on activation.</summary>
    [Id(17)] public bool SweepPending { get; set; }

    /// <summary>The definition the journey was created with; null only in a state saved field by field.</summary>
    [Id(18)] public JourneyDefinition? Definition { get; set; }

    /// <summary>The definition, from <see cref="Definition"/> or, in a state saved field by field, from those fields.</summary>
    public JourneyDefinition Current => Definition ?? MoveLegacyFields();

#pragma warning disable CS0618 // the one place that reads the fields of a state saved before the record
    /// <summary>Moves a definition saved field by field into <see cref="Definition"/> (once; the fields are then cleared).</summary>
    public JourneyDefinition MoveLegacyFields()
    {
        if (Definition is not null) return Definition;
        Definition = new JourneyDefinition
        {
            Name = Name, EntryCondition = EntryCondition, ExitCondition = ExitCondition, AllowReEntry = AllowReEntry,
            ExitAfter = ExitAfter, ExitMatchProperty = ExitMatchProperty, BackfillOnPublish = BackfillOnPublish,
        };
        (Name, EntryCondition, ExitCondition, AllowReEntry, ExitAfter, ExitMatchProperty, BackfillOnPublish) = ("", new(), null, false, null, null, false);
        return Definition;
    }
#pragma warning restore CS0618

    /// <summary>The journey as callers and the catalog see it, with <paramref name="steps"/> in order.</summary>
    public JourneyInfo ToInfo(string journeyId, IReadOnlyList<StepInfo> steps)
    {
        var definition = Current;
        return new JourneyInfo
        {
            Id = journeyId,
            SpaceId = SpaceId,
            Name = definition.Name,
            EntryCondition = definition.EntryCondition,
            ExitCondition = definition.ExitCondition,
            AllowReEntry = definition.AllowReEntry,
            ExitAfter = definition.ExitAfter,
            ExitMatchProperty = definition.ExitMatchProperty,
            BackfillOnPublish = definition.BackfillOnPublish,
            EntryIdentifier = definition.EntryIdentifier,
            Status = Status,
            Steps = steps,
            LineageId = LineageId,
            Version = Version,
            SupersededBy = SupersededBy,
            BackgroundWorkPending = BackfillPending || SweepPending,
            BackfilledUsers = BackfilledUsers,
        };
    }
}

/// <summary>A journey lineage's state: the ids of its versions, in order.</summary>
[GenerateSerializer, Alias("journeys.state.JourneyLineage")]
public sealed class JourneyLineageState
{
    [Id(0)] public List<string> VersionIds { get; set; } = [];
}
