namespace Journeys.Orleans.Model;

/// <summary>Whether a user entered or left a send step.</summary>
public enum TransitionDirection
{
    Entered = 0,
    Exited = 1,
}

/// <summary>
/// One user entering or leaving one step. For a send step, the unit destinations are told about; for other steps, a
/// line of the user's timeline and of the step's member index.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.Transition")]
public sealed record Transition
{
    [Id(0)] public string SpaceId { get; init; } = "";
    [Id(1)] public string JourneyId { get; init; } = "";
    [Id(2)] public string StepId { get; init; } = "";
    [Id(3)] public string StepKey { get; init; } = "";

    /// <summary>The user's identity in the space: <c>u:</c>userId or <c>a:</c>anonymousId.</summary>
    [Id(4)] public string UserKey { get; init; } = "";
    [Id(5)] public string? UserId { get; init; }
    [Id(6)] public string? AnonymousId { get; init; }
    [Id(7)] public TransitionDirection Direction { get; init; }

    /// <summary>Which time (1, 2, ...) the user entered this step; an exit carries the epoch it ends.</summary>
    [Id(8)] public int Epoch { get; init; }

    /// <summary>The user's transition counter: orders a user's transitions.</summary>
    [Id(9)] public long Sequence { get; init; }
    [Id(10)] public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The kind of the step: only send steps' transitions go to destinations.</summary>
    [Id(11)] public StepKind StepKind { get; init; } = StepKind.SendToDestinations;

    /// <summary>
    /// For an event-triggered journey (one entry per value): the entry's number, unique among the user's entries, which
    /// is also the epoch of every step the entry enters; 0 for other journeys.
    /// </summary>
    [Id(12)] public int Entry { get; init; }

    /// <summary>For a send step that sends the journey's context: the properties of the event that made the entry.</summary>
    [Id(13)] public IReadOnlyDictionary<string, string?>? Context { get; init; }
}

/// <summary>A transition addressed to one connected destination.</summary>
[GenerateSerializer, Immutable, Alias("journeys.TransitionDelivery")]
public sealed record TransitionDelivery(
    [property: Id(0)] Transition Transition,
    [property: Id(1)] ConnectionInfo Connection);

/// <summary>A user as the client sees them.</summary>
[GenerateSerializer, Immutable, Alias("journeys.UserView")]
public sealed record UserView
{
    [Id(0)] public string SpaceId { get; init; } = "";
    [Id(1)] public string UserKey { get; init; } = "";
    [Id(2)] public string? UserId { get; init; }
    [Id(3)] public string? AnonymousId { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, string?> Traits { get; init; } = new Dictionary<string, string?>();
    [Id(5)] public IReadOnlyList<JourneyPositionView> Journeys { get; init; } = [];

    /// <summary>The send steps the user is a member of now (where they wait is in <see cref="Journeys"/>).</summary>
    [Id(6)] public IReadOnlyList<StepMembershipView> Memberships { get; init; } = [];

    /// <summary>The user's most recent transitions, oldest first.</summary>
    [Id(7)] public IReadOnlyList<Transition> RecentTransitions { get; init; } = [];

    /// <summary>The anonymous ids whose profiles were merged into this one: the profile is found by each of them.</summary>
    [Id(8)] public IReadOnlyList<string> MergedAnonymousIds { get; init; } = [];

    /// <summary>Merges refused because the anonymous profile belongs to another user (the latest few).</summary>
    [Id(9)] public IReadOnlyList<RefusedMerge> RefusedMerges { get; init; } = [];
}

/// <summary>Where a user is in one journey: <see cref="StepId"/> is the first of their positions (a multi-branch split can give several).</summary>
[GenerateSerializer, Immutable, Alias("journeys.JourneyPositionView")]
public sealed record JourneyPositionView(
    [property: Id(0)] string JourneyId,
    [property: Id(1)] string? StepId,
    [property: Id(2)] DateTimeOffset EnteredJourneyAt,
    [property: Id(3)] DateTimeOffset AtStepSince,
    [property: Id(4)] bool Exited = false,
    [property: Id(5)] int Entries = 1)
{
    /// <summary>Every step the user is at in this journey.</summary>
    [Id(6)] public IReadOnlyList<string> StepIds { get; init; } = [];

    /// <summary>For an entry of an event-triggered journey: the value of the entry identifier it was entered for.</summary>
    [Id(7)] public string? EntryValue { get; init; }

    /// <summary>The entry's context (its triggering event's properties), when the journey keeps it.</summary>
    [Id(8)] public IReadOnlyDictionary<string, string?>? Context { get; init; }
}

/// <summary>A user's current membership of one step.</summary>
[GenerateSerializer, Immutable, Alias("journeys.StepMembershipView")]
public sealed record StepMembershipView(
    [property: Id(0)] string JourneyId,
    [property: Id(1)] string StepId,
    [property: Id(2)] string StepKey,
    [property: Id(3)] int Epoch,
    [property: Id(4)] DateTimeOffset Since);
