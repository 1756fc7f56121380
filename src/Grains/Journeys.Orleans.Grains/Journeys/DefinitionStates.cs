using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>The space grain's state: what the space owns, and the catalog version.</summary>
[GenerateSerializer, Alias("journeys.state.Space")]
public sealed class SpaceState
{
    [Id(0)] public List<string> JourneyIds { get; set; } = [];
    [Id(1)] public List<string> DestinationIds { get; set; } = [];
    [Id(2)] public long CatalogVersion { get; set; }
    [Id(3)] public List<WriteKeyInfo> WriteKeys { get; set; } = [];

    /// <summary>
    /// The published (and paused, and archived) journeys as their grains last pushed them, by journey id: the catalog
    /// is built from these alone, so the space never calls a journey or a step back. Null in a state saved before it
    /// existed: the space then reads the journeys' stored states once, on activation.
    /// </summary>
    [Id(4)] public Dictionary<string, JourneyInfo>? Published { get; set; }
}

/// <summary>A write key's state.</summary>
[GenerateSerializer, Alias("journeys.state.WriteKey")]
public sealed class WriteKeyState
{
    [Id(0)] public string? SpaceId { get; set; }
    [Id(1)] public bool Revoked { get; set; }
}

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
    public StepInfo ToInfo(string stepId) => StepInfo.Of(stepId, JourneyId, SpaceId, Key, Current, Connections.ToList());
}

/// <summary>
/// A journey's backfill or archive sweep: which index "step" it walks and where it is, one page at a time, so that
/// after a restart it goes on from the last page it finished (visiting a user twice is harmless: a user grain enters
/// nobody twice, and moving a user out of an archived journey twice changes nothing).
/// </summary>
[GenerateSerializer, Alias("journeys.state.JourneySweep")]
public sealed class JourneySweepState
{
    [Id(0)] public string SpaceId { get; set; } = "";
    [Id(1)] public bool BackfillPending { get; set; }
    [Id(2)] public bool SweepPending { get; set; }

    /// <summary>The archived journey's steps, walked in order.</summary>
    [Id(3)] public List<string> SweepStepIds { get; set; } = [];

    /// <summary>The index in <see cref="SweepStepIds"/> of the step being walked.</summary>
    [Id(4)] public int SweepStep { get; set; }

    /// <summary>The next page of the index "step" being walked; null: its first page.</summary>
    [Id(5)] public string? PageToken { get; set; }

    /// <summary>How many users the backfill entered.</summary>
    [Id(6)] public long BackfilledUsers { get; set; }

    /// <summary>How many users the archive sweep woke.</summary>
    [Id(7)] public long SweptUsers { get; set; }

    public bool Pending => BackfillPending || SweepPending;

    /// <summary>The index "step" to walk next, and whether it is the backfill; null when nothing is left.</summary>
    public (string StepId, bool Backfill)? Walking =>
        BackfillPending ? (GrainKeys.UserDirectoryStep, true)
        : SweepPending && SweepStep < SweepStepIds.Count ? (SweepStepIds[SweepStep], false)
        : null;

    public void StartBackfill(string spaceId)
    {
        if (BackfillPending) return;
        SpaceId = spaceId;
        BackfillPending = true;
        PageToken = null;
    }

    /// <summary>An archive stops a backfill that is still running: the journey moves nobody any more.</summary>
    public void StartSweep(string spaceId, IReadOnlyList<string> stepIds)
    {
        SpaceId = spaceId;
        BackfillPending = false;
        SweepPending = stepIds.Count > 0;
        SweepStepIds = stepIds.ToList();
        SweepStep = 0;
        PageToken = null;
    }

    /// <summary>One page of the current walk is done: <paramref name="visited"/> users counted, <paramref name="nextPageToken"/> next.</summary>
    public void Advance(string? nextPageToken, long visited)
    {
        PageToken = nextPageToken;
        if (BackfillPending)
        {
            BackfilledUsers += visited;
            BackfillPending = nextPageToken is not null;
        }
        else if (SweepPending)
        {
            SweptUsers += visited;
            if (nextPageToken is null) SweepStep++;
            SweepPending = SweepStep < SweepStepIds.Count;
        }
    }
}

/// <summary>A journey lineage's state: the ids of its versions, in order.</summary>
[GenerateSerializer, Alias("journeys.state.JourneyLineage")]
public sealed class JourneyLineageState
{
    [Id(0)] public List<string> VersionIds { get; set; } = [];
}

/// <summary>The step key registry's state: every key issued with one prefix.</summary>
[GenerateSerializer, Alias("journeys.state.StepKeys")]
public sealed class StepKeysState
{
    [Id(0)] public HashSet<string> Issued { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The destination grain's state: its configuration, secrets included.</summary>
[GenerateSerializer, Alias("journeys.state.Destination")]
public sealed class DestinationState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2)] public DestinationDefinition Definition { get; set; } = new();
    [Id(3)] public int Partitions { get; set; }
    [Id(4)] public bool Paused { get; set; }
}

/// <summary>A list destination partition's state: per step id, its members by user key.</summary>
[GenerateSerializer, Alias("journeys.state.ListMembers")]
public sealed class ListMembersState
{
    [Id(0)] public Dictionary<string, Dictionary<string, ListMemberEntry>> Steps { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public long Applied { get; set; }
}

/// <summary>One member of a list.</summary>
[GenerateSerializer, Alias("journeys.state.ListMemberEntry")]
public sealed class ListMemberEntry
{
    [Id(0)] public string? UserId { get; set; }
    [Id(1)] public string? AnonymousId { get; set; }
    [Id(2)] public DateTimeOffset Since { get; set; }
    [Id(3)] public int Epoch { get; set; }
}

/// <summary>A list sync's state: the remote list's id, and whether a full resend is due.</summary>
[GenerateSerializer, Alias("journeys.state.ListSync")]
public sealed class ListSyncState
{
    [Id(0)] public bool Started { get; set; }
    [Id(1)] public string? ExternalListId { get; set; }
    [Id(2)] public bool MirrorWanted { get; set; }
    [Id(3)] public long SyncedThrough { get; set; }
}

/// <summary>A wake-up bucket's state on the embedded default: the users to wake (with a database they are rows).</summary>
[GenerateSerializer, Alias("journeys.state.WakeBucket")]
public sealed class WakeBucketState
{
    [Id(0)] public HashSet<string> Users { get; set; } = new(StringComparer.Ordinal);
}
