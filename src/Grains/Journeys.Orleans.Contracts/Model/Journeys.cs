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
}

/// <summary>What a step does.</summary>
public enum StepKind
{
    /// <summary>Wait until the user meets a condition.</summary>
    Condition = 0,

    /// <summary>Tell every connected destination when a user enters or leaves.</summary>
    SendToDestinations = 1,

    /// <summary>Wait a duration (1 minute to 182 days) after reaching the previous step.</summary>
    Delay = 2,
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
}

/// <summary>The published journeys of a space at one version: what the per-user grains evaluate.</summary>
[GenerateSerializer, Immutable, Alias("journeys.PublishedCatalog")]
public sealed record PublishedCatalog
{
    [Id(0)] public string SpaceId { get; init; } = "";

    /// <summary>Grows every time a journey is published or a published step's connections change.</summary>
    [Id(1)] public long Version { get; init; }
    [Id(2)] public IReadOnlyList<JourneyInfo> Journeys { get; init; } = [];
}
