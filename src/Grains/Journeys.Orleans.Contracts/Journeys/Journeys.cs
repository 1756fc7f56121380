namespace Journeys.Orleans.Model;

/// <summary>Where a journey is in its life.</summary>
public enum JourneyStatus
{
    /// <summary>Being edited; moves nobody.</summary>
    Draft = 0,

    /// <summary>Live: users who meet the entry condition enter it.</summary>
    Published = 1,

    /// <summary>Entry is closed; users already inside go on.</summary>
    Paused = 2,

    /// <summary>Moves nobody any more: users inside leave it (members of <c>onStepLeave</c> send steps leave them).</summary>
    Archived = 3,
}

/// <summary>What a step does.</summary>
public enum StepKind
{
    /// <summary>Wait until the user meets a condition.</summary>
    Condition = 0,

    /// <summary>Tell every connected destination when a user enters or leaves.</summary>
    SendToDestinations = 1,

    /// <summary>Wait a duration (1 minute to 182 days).</summary>
    Delay = 2,

    /// <summary>Two branches: the first for users who meet the condition when they arrive, the second for the others.</summary>
    TrueFalseSplit = 3,

    /// <summary>
    /// Several branches, each with a condition; a user goes down every branch whose condition they meet (branches may
    /// overlap). A branch without a condition takes users who meet none of the others; without one, those wait in the
    /// split until they meet a branch.
    /// </summary>
    MultiBranchSplit = 4,

    /// <summary>Branches with percentages summing to 100; a user's branch is drawn from a hash of the user and the step, so it is sticky.</summary>
    RandomizedSplit = 5,
}

/// <summary>When a user stops being a member of a send step (SPEC section 4).</summary>
public enum ExitBehaviour
{
    /// <summary>When they move on to a following step or exit the journey (the seed's behaviour).</summary>
    OnStepLeave = 0,

    /// <summary>Only when they exit the journey.</summary>
    OnJourneyExit = 1,

    /// <summary>Membership is permanent.</summary>
    Never = 2,
}

/// <summary>What a caller gives to create a journey.</summary>
[GenerateSerializer, Immutable, Alias("journeys.JourneyDefinition")]
public sealed record JourneyDefinition
{
    /// <summary>1 to 73 characters.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>The condition that puts a user into the journey.</summary>
    [Id(1)] public Condition EntryCondition { get; init; } = new();

    /// <summary>Exit events: when a user inside meets this (whatever step they are at), they exit the journey.</summary>
    [Id(2)] public Condition? ExitCondition { get; init; }

    /// <summary>Whether a user who exited may enter again (a new epoch, with new message ids).</summary>
    [Id(3)] public bool AllowReEntry { get; init; }

    /// <summary>When set, users exit the journey this long after they entered it, wherever they are.</summary>
    [Id(4)] public TimeSpan? ExitAfter { get; init; }

    /// <summary>
    /// When set, an exit event counts only if this property has the value the entry event had ("same identifier as the
    /// entry event", for example an order id).
    /// </summary>
    [Id(5)] public string? ExitMatchProperty { get; init; }

    /// <summary>When true, users who already meet the entry condition when the journey is published enter it then.</summary>
    [Id(6)] public bool BackfillOnPublish { get; init; }

    /// <summary>
    /// Makes the journey event-triggered: every event that meets the entry condition (which must be a "performed"
    /// condition: the triggering event) enters the user again, as an entry of its own, once per distinct value of this
    /// property of the event (an order id). A user can be in the journey several times at once; an event whose value
    /// already has an entry inside enters nothing, and a value whose entry ended may enter again. Each entry keeps its
    /// triggering event's properties as its context, exits on its own (with <see cref="ExitMatchProperty"/>, an exit
    /// event ends only the entry of its value) and has its own message ids.
    /// </summary>
    [Id(7)] public string? EntryIdentifier { get; init; }
}

/// <summary>One branch of a split step.</summary>
[GenerateSerializer, Immutable, Alias("journeys.StepBranch")]
public sealed record StepBranch
{
    /// <summary>A label for people (1 to 170 characters), for example "true", "Pro plan", "A".</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>For a multi-branch split: who goes down this branch (none: everyone who meets no other branch).</summary>
    [Id(1)] public Condition? Condition { get; init; }

    /// <summary>For a randomized split: the share of users, 1 to 100; the branches sum to 100.</summary>
    [Id(2)] public int? Percent { get; init; }

    /// <summary>The <see cref="StepDefinition.Ref"/> of the step users go to on this branch.</summary>
    [Id(3)] public string Next { get; init; } = "";
}

/// <summary>What a caller gives to add a step to a draft journey.</summary>
[GenerateSerializer, Immutable, Alias("journeys.StepDefinition")]
public sealed record StepDefinition
{
    /// <summary>1 to 170 characters; the step key is generated from it once.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>What the step does.</summary>
    [Id(1)] public StepKind Kind { get; init; }

    /// <summary>Required for <see cref="StepKind.Condition"/>: what the user waits for.</summary>
    [Id(2)] public Condition? Condition { get; init; }

    /// <summary>For <see cref="StepKind.SendToDestinations"/>: when members leave.</summary>
    [Id(3)] public ExitBehaviour ExitBehaviour { get; init; }

    /// <summary>For <see cref="StepKind.Delay"/>: how long to wait.</summary>
    [Id(4)] public TimeSpan? Delay { get; init; }

    /// <summary>
    /// The step's name inside its journey definition (1 to 64 of <c>[A-Za-z0-9_-]</c>), used by <see cref="Next"/> and
    /// branches to point at it; defaults to <c>step-</c> and the step's position.
    /// </summary>
    [Id(5)] public string? Ref { get; init; }

    /// <summary>
    /// Where users go after this step: another step's <see cref="Ref"/>, <see cref="StepRefs.End"/> to end the path here,
    /// or none for the following step of the definition. Several steps may point at one (a merge); never back (no cycles).
    /// Splits use <see cref="Branches"/> instead.
    /// </summary>
    [Id(6)] public string? Next { get; init; }

    /// <summary>For splits: the branches, in order.</summary>
    [Id(7)] public IReadOnlyList<StepBranch> Branches { get; init; } = [];

    /// <summary>For <see cref="StepKind.Condition"/>: the longest a user waits for the condition.</summary>
    [Id(8)] public TimeSpan? Timeout { get; init; }

    /// <summary>Where users whose wait timed out go (another step's ref); none: their path ends.</summary>
    [Id(9)] public string? TimeoutNext { get; init; }

    /// <summary>
    /// For <see cref="StepKind.SendToDestinations"/>: track calls carry the entry's context the way Segment's
    /// event-triggered journeys do: <c>properties.journey_context.triggering_event</c> (the properties of the event that
    /// entered the user) and <c>properties.journey_metadata</c> (the journey's id and the entry's).
    /// </summary>
    [Id(10)] public bool SendJourneyContext { get; init; }

    /// <summary>Value equality, the branches included one by one (a record alone compares lists by reference).</summary>
    public bool Equals(StepDefinition? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            Name == other.Name && Kind == other.Kind && Equals(Condition, other.Condition) && ExitBehaviour == other.ExitBehaviour
            && Delay == other.Delay && Ref == other.Ref && Next == other.Next && ValueLists.Same(Branches, other.Branches)
            && Timeout == other.Timeout && TimeoutNext == other.TimeoutNext && SendJourneyContext == other.SendJourneyContext);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Kind, Condition, ExitBehaviour, Delay, Ref, Next, Branches?.Count ?? 0);
}

/// <summary>Reserved step references.</summary>
public static class StepRefs
{
    /// <summary>A <see cref="StepDefinition.Next"/> that ends the path.</summary>
    public const string End = "end";
}

/// <summary>A step as stored and published.</summary>
[GenerateSerializer, Immutable, Alias("journeys.StepInfo")]
public sealed record StepInfo
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public string JourneyId { get; init; } = "";
    [Id(2)] public string SpaceId { get; init; } = "";
    [Id(3)] public string Name { get; init; } = "";
    [Id(4)] public StepKind Kind { get; init; }

    /// <summary>The step key: generated once at creation, never changed, never reused.</summary>
    [Id(5)] public string Key { get; init; } = "";
    [Id(6)] public Condition? Condition { get; init; }
    [Id(7)] public ExitBehaviour ExitBehaviour { get; init; }
    [Id(8)] public IReadOnlyList<ConnectionInfo> Connections { get; init; } = [];
    [Id(9)] public TimeSpan? Delay { get; init; }
    [Id(10)] public string Ref { get; init; } = "";

    /// <summary>As defined: a ref, <see cref="StepRefs.End"/>, or none for the following step.</summary>
    [Id(11)] public string? Next { get; init; }
    [Id(12)] public IReadOnlyList<StepBranch> Branches { get; init; } = [];
    [Id(13)] public TimeSpan? Timeout { get; init; }
    [Id(14)] public string? TimeoutNext { get; init; }

    /// <summary>
    /// The step whose lists this step's list destinations keep: the same send step (by key) in the version of the
    /// journey where its lists began, so a new version that keeps the step's key keeps its lists; null: this step.
    /// </summary>
    [Id(15)] public string? ListStepId { get; init; }

    /// <summary>See <see cref="StepDefinition.SendJourneyContext"/>.</summary>
    [Id(16)] public bool SendJourneyContext { get; init; }

    /// <summary>The definition the step was made from (its key and connections aside).</summary>
    public StepDefinition ToDefinition() => new()
    {
        Name = Name, Kind = Kind, Condition = Condition, ExitBehaviour = ExitBehaviour, Delay = Delay, Ref = Ref, Next = Next,
        Branches = Branches, Timeout = Timeout, TimeoutNext = TimeoutNext, SendJourneyContext = SendJourneyContext,
    };

    /// <summary>The step as callers and the catalog see it: <paramref name="definition"/> with what the step grain adds.</summary>
    public static StepInfo Of(
        string id, string journeyId, string spaceId, string key, StepDefinition definition, IReadOnlyList<ConnectionInfo> connections,
        string? listStepId = null) => new()
    {
        Id = id, JourneyId = journeyId, SpaceId = spaceId, Key = key, Connections = connections, ListStepId = listStepId,
        Name = definition.Name, Kind = definition.Kind, Condition = definition.Condition, ExitBehaviour = definition.ExitBehaviour,
        Delay = definition.Delay, Ref = definition.Ref ?? "", Next = definition.Next, Branches = definition.Branches,
        Timeout = definition.Timeout, TimeoutNext = definition.TimeoutNext, SendJourneyContext = definition.SendJourneyContext,
    };
}

/// <summary>A journey with its steps in order.</summary>
[GenerateSerializer, Immutable, Alias("journeys.JourneyInfo")]
public sealed record JourneyInfo
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public string SpaceId { get; init; } = "";
    [Id(2)] public string Name { get; init; } = "";
    [Id(3)] public Condition EntryCondition { get; init; } = new();
    [Id(4)] public JourneyStatus Status { get; init; }
    [Id(5)] public IReadOnlyList<StepInfo> Steps { get; init; } = [];
    [Id(6)] public Condition? ExitCondition { get; init; }
    [Id(7)] public bool AllowReEntry { get; init; }
    [Id(8)] public TimeSpan? ExitAfter { get; init; }
    [Id(9)] public string? ExitMatchProperty { get; init; }
    [Id(10)] public bool BackfillOnPublish { get; init; }

    /// <summary>The id of the first version of this journey: every version shares it.</summary>
    [Id(11)] public string LineageId { get; init; } = "";

    /// <summary>1 for the first version, then 2, 3, ... (at most 25).</summary>
    [Id(12)] public int Version { get; init; } = 1;

    /// <summary>The published later version that closed this one's entry, if any; users inside go on.</summary>
    [Id(13)] public string? SupersededBy { get; init; }

    /// <summary>
    /// True while work started by publish or archive runs in the background: the backfill, or moving the users of an
    /// archived journey out.
    /// </summary>
    [Id(14)] public bool BackgroundWorkPending { get; init; }

    /// <summary>How many users the backfill at publish entered.</summary>
    [Id(15)] public long BackfilledUsers { get; init; }

    /// <summary>Where the backfill or archive sweep running (or the last one) stands; null for a draft or before any.</summary>
    [Id(16)] public WorkProgress? Progress { get; init; }

    /// <summary>See <see cref="JourneyDefinition.EntryIdentifier"/>: set, the journey is event-triggered, one entry per value.</summary>
    [Id(17)] public string? EntryIdentifier { get; init; }

    /// <summary>True when entries keep their triggering event's properties: a send step sends them, or entries are per value.</summary>
    public bool KeepsContext => EntryIdentifier is not null || Steps.Any(s => s.SendJourneyContext);

    /// <summary>True when new users cannot enter: paused, archived or superseded by a later version.</summary>
    public bool ClosedToEntry => Status != JourneyStatus.Published || SupersededBy is not null;

    /// <summary>The definition the journey was made from (its steps aside).</summary>
    public JourneyDefinition ToDefinition() => new()
    {
        Name = Name, EntryCondition = EntryCondition, ExitCondition = ExitCondition, AllowReEntry = AllowReEntry,
        ExitAfter = ExitAfter, ExitMatchProperty = ExitMatchProperty, BackfillOnPublish = BackfillOnPublish, EntryIdentifier = EntryIdentifier,
    };
}

/// <summary>
/// A journey definition as a document (config as code): exported and imported unchanged. Steps point at each other
/// by <see cref="StepDefinition.Ref"/>; the first step is where users start.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.JourneyDocument")]
public sealed record JourneyDocument
{
    [Id(0)] public JourneyDefinition Journey { get; init; } = new();
    [Id(1)] public IReadOnlyList<StepDocument> Steps { get; init; } = [];
}

/// <summary>A step in a <see cref="JourneyDocument"/>: its definition and its connections.</summary>
[GenerateSerializer, Immutable, Alias("journeys.StepDocument")]
public sealed record StepDocument
{
    [Id(0)] public StepDefinition Step { get; init; } = new();
    [Id(1)] public IReadOnlyList<ConnectionDocument> Connections { get; init; } = [];
}

/// <summary>A connection in a <see cref="JourneyDocument"/>.</summary>
[GenerateSerializer, Immutable, Alias("journeys.ConnectionDocument")]
public sealed record ConnectionDocument
{
    [Id(0)] public string DestinationId { get; init; } = "";
    [Id(1)] public ConnectionSettings Settings { get; init; } = new();
}

/// <summary>Where a journey's backfill or archive sweep stands; <paramref name="Progress"/>: of the walk running or the last one.</summary>
[GenerateSerializer, Immutable, Alias("journeys.JourneySweepStatus")]
public sealed record JourneySweepStatus(
    [property: Id(0)] bool Pending, [property: Id(1)] long BackfilledUsers, [property: Id(2)] WorkProgress? Progress = null);

/// <summary>How many users are in one step now.</summary>
[GenerateSerializer, Immutable, Alias("journeys.StepCount")]
public sealed record StepCount([property: Id(0)] string StepId, [property: Id(1)] string StepKey, [property: Id(2)] long Members);

/// <summary>The published journeys of a space at one version: what the per-user grains evaluate.</summary>
[GenerateSerializer, Immutable, Alias("journeys.PublishedCatalog")]
public sealed record PublishedCatalog
{
    [Id(0)] public string SpaceId { get; init; } = "";

    /// <summary>Grows every time a journey is published or a published step's connections change.</summary>
    [Id(1)] public long Version { get; init; }
    [Id(2)] public IReadOnlyList<JourneyInfo> Journeys { get; init; } = [];
}
