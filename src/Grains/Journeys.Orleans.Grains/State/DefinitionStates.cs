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

/// <summary>The journey grain's state.</summary>
[GenerateSerializer, Alias("journeys.state.Journey")]
public sealed class JourneyState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2)] public string Name { get; set; } = "";
    [Id(3)] public Condition EntryCondition { get; set; } = new();
    [Id(4)] public JourneyStatus Status { get; set; }
    [Id(5)] public List<string> StepIds { get; set; } = [];
    [Id(6)] public Condition? ExitCondition { get; set; }
    [Id(7)] public bool AllowReEntry { get; set; }
    [Id(8)] public TimeSpan? ExitAfter { get; set; }
    [Id(9)] public string? ExitMatchProperty { get; set; }
    [Id(10)] public bool BackfillOnPublish { get; set; }
    [Id(11)] public string LineageId { get; set; } = "";
    [Id(12)] public int Version { get; set; } = 1;
    [Id(13)] public string? SupersededBy { get; set; }

    /// <summary>On the first version only: the ids of every version, in order (itself first).</summary>
    [Id(14)] public List<string> VersionIds { get; set; } = [];

    /// <summary>How many users a backfill entered when the journey was published.</summary>
    [Id(15)] public long BackfilledUsers { get; set; }

    /// <summary>A backfill was asked for at publish and has not finished (a reminder runs it, also after a restart).</summary>
    [Id(16)] public bool BackfillPending { get; set; }

    /// <summary>The journey was archived and not every user in it has been moved out yet.</summary>
    [Id(17)] public bool SweepPending { get; set; }

    /// <summary>The journey as callers and the catalog see it, with <paramref name="steps"/> in order.</summary>
    public JourneyInfo ToInfo(string journeyId, IReadOnlyList<StepInfo> steps) => new()
    {
        Id = journeyId,
        SpaceId = SpaceId,
        Name = Name,
        EntryCondition = EntryCondition,
        ExitCondition = ExitCondition,
        AllowReEntry = AllowReEntry,
        ExitAfter = ExitAfter,
        ExitMatchProperty = ExitMatchProperty,
        BackfillOnPublish = BackfillOnPublish,
        Status = Status,
        Steps = steps,
        LineageId = LineageId,
        Version = Version,
        SupersededBy = SupersededBy,
        BackgroundWorkPending = BackfillPending || SweepPending,
        BackfilledUsers = BackfilledUsers,
    };
}

/// <summary>The step grain's state.</summary>
[GenerateSerializer, Alias("journeys.state.Step")]
public sealed class StepState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2)] public string JourneyId { get; set; } = "";
    [Id(3)] public string Name { get; set; } = "";
    [Id(4)] public StepKind Kind { get; set; }
    [Id(5)] public string Key { get; set; } = "";
    [Id(6)] public Condition? Condition { get; set; }
    [Id(7)] public ExitBehaviour ExitBehaviour { get; set; }
    [Id(8)] public List<ConnectionInfo> Connections { get; set; } = [];
    [Id(9)] public TimeSpan? Delay { get; set; }
    [Id(10)] public string Ref { get; set; } = "";
    [Id(11)] public string? Next { get; set; }
    [Id(12)] public List<StepBranch> Branches { get; set; } = [];
    [Id(13)] public TimeSpan? Timeout { get; set; }
    [Id(14)] public string? TimeoutNext { get; set; }

    /// <summary>The step as callers and the catalog see it.</summary>
    public StepInfo ToInfo(string stepId) => new()
    {
        Id = stepId,
        JourneyId = JourneyId,
        SpaceId = SpaceId,
        Name = Name,
        Kind = Kind,
        Key = Key,
        Condition = Condition,
        ExitBehaviour = ExitBehaviour,
        Connections = Connections.ToList(),
        Delay = Delay,
        Ref = Ref,
        Next = Next,
        Branches = Branches.ToList(),
        Timeout = Timeout,
        TimeoutNext = TimeoutNext,
    };
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
