using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>
/// The per-user grain's state: the profile (traits, an event summary), the journey positions and send-step
/// memberships, and the transitions not yet handed to their destinations.
/// </summary>
[GenerateSerializer, Alias("journeys.state.User")]
public sealed class UserState
{
    [Id(0)] public string? UserId { get; set; }
    [Id(1)] public string? AnonymousId { get; set; }
    [Id(2)] public Dictionary<string, string?> Traits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per event name: how often and when last. Not the full history.</summary>
    [Id(3)] public Dictionary<string, EventTally> Events { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Counts the calls the user made; orders "performed since" conditions.</summary>
    [Id(4)] public long EventSequence { get; set; }

    /// <summary>Per journey id: where the user is.</summary>
    [Id(5)] public Dictionary<string, JourneyProgress> Journeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Counts the user's transitions.</summary>
    [Id(6)] public long TransitionSequence { get; set; }

    /// <summary>Transitions written with the state but not yet handed to their destinations.</summary>
    [Id(7)] public List<TransitionDelivery> Outbox { get; set; } = [];

    /// <summary>
    /// The space index's changes (<see cref="SpaceIndex.SpaceIndexChanges"/>) committed with the state but not yet handed
    /// to the index. With PostgreSQL the commit wrote them into the index itself (and not into the stored state), so they
    /// are dropped right after it.
    /// </summary>
    [Id(17)] public List<Transition> IndexChanges { get; set; } = [];

    /// <summary>The latest transitions, oldest first, for the user's timeline.</summary>
    [Id(8)] public List<Transition> RecentTransitions { get; set; } = [];

    /// <summary>The latest incoming message ids, to drop a call sent twice.</summary>
    [Id(9)] public List<string> RecentMessageIds { get; set; } = [];

    /// <summary>When the wake-up scheduler will wake the user for a delay, if it will.</summary>
    [Id(10)] public DateTimeOffset? ScheduledWakeAt { get; set; }

    /// <summary>Whether the user was added to the space's user directory.</summary>
    [Id(11)] public bool Listed { get; set; }

    /// <summary>
    /// The entries of event-triggered journeys (one entry per value), by <see cref="Engine.JourneyEntries.Key"/>. An entry
    /// that ended is dropped at the user's next call.
    /// </summary>
    [Id(12)] public Dictionary<string, JourneyProgress> Entries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The number of the user's latest entry of an event-triggered journey.</summary>
    [Id(13)] public int LatestEntry { get; set; }

    /// <summary>
    /// For an anonymous profile merged into an identified one: that user's key. The rest of the state is what was handed
    /// over, kept so that a hand-over asked again (the identified user crashed before committing it) gets the same.
    /// </summary>
    [Id(14)] public string? MergedInto { get; set; }

    /// <summary>The anonymous ids whose profiles this identified user absorbed.</summary>
    [Id(15)] public List<string> MergedAnonymousIds { get; set; } = [];

    /// <summary>Merges refused because the anonymous profile belongs to another user (the latest few).</summary>
    [Id(16)] public List<RefusedMerge> RefusedMerges { get; set; } = [];

    public bool HasSeen(string? messageId) => !string.IsNullOrEmpty(messageId) && RecentMessageIds.Contains(messageId);

    /// <summary>Remembers an incoming message id, keeping the latest <paramref name="kept"/>.</summary>
    public void Remember(string? messageId, int kept)
    {
        if (string.IsNullOrEmpty(messageId)) return;
        RecentMessageIds.Add(messageId);
        if (RecentMessageIds.Count > kept) RecentMessageIds.RemoveRange(0, RecentMessageIds.Count - kept);
    }

    /// <summary>Adds transitions to the timeline, keeping the latest <paramref name="kept"/>.</summary>
    public void AddToTimeline(IEnumerable<Transition> transitions, int kept)
    {
        RecentTransitions.AddRange(transitions);
        if (RecentTransitions.Count > kept) RecentTransitions.RemoveRange(0, RecentTransitions.Count - kept);
    }
}

/// <summary>
/// How often the user performed one event (or one event with given property values), when last, and the most recent
/// occurrences — as many as the published conditions need to count, no more.
/// </summary>
[GenerateSerializer, Alias("journeys.state.EventTally")]
public sealed class EventTally
{
    [Id(0)] public long Count { get; set; }
    [Id(1)] public long LastSequence { get; set; }
    [Id(2)] public DateTimeOffset LastAt { get; set; }
    [Id(3)] public List<EventOccurrence> Recent { get; set; } = [];
}

/// <summary>One occurrence of an event: the user's call sequence and when.</summary>
[GenerateSerializer, Immutable, Alias("journeys.state.EventOccurrence")]
public sealed record EventOccurrence([property: Id(0)] long Sequence, [property: Id(1)] DateTimeOffset At);

/// <summary>Where a user is in one journey.</summary>
[GenerateSerializer, Alias("journeys.state.JourneyProgress")]
public sealed class JourneyProgress
{
    [Id(1)] public DateTimeOffset EnteredAt { get; set; }

    /// <summary>
    /// Per step id: whether the user is in it. For a send step this is the membership destinations are told about
    /// (kept by the step's exit behaviour); for other steps, whether one of the user's positions is there. Kept across
    /// re-entries, so epochs go on counting.
    /// </summary>
    [Id(4)] public Dictionary<string, StepMembership> Steps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True once the user exited; they enter again only when the journey allows re-entry.</summary>
    [Id(5)] public bool Exited { get; set; }

    /// <summary>How many times the user entered the journey.</summary>
    [Id(6)] public int Entries { get; set; }

    /// <summary>Where the user is: one position per path (a multi-branch split can send a user down several).</summary>
    [Id(7)] public List<StepPosition> Positions { get; set; } = [];

    /// <summary>The entry event's value of the journey's exit match property.</summary>
    [Id(8)] public string? EntryMatchValue { get; set; }

    /// <summary>When the user last exited (or finished) the journey.</summary>
    [Id(9)] public DateTimeOffset? ExitedAt { get; set; }

    /// <summary>For an entry of an event-triggered journey: its journey (entries are not keyed by it).</summary>
    [Id(10)] public string? JourneyId { get; set; }

    /// <summary>For an entry of an event-triggered journey: its number (see <see cref="Transition.Entry"/>); 0 otherwise.</summary>
    [Id(11)] public int Entry { get; set; }

    /// <summary>For an entry of an event-triggered journey: its triggering event's value of the journey's entry identifier.</summary>
    [Id(12)] public string? EntryValue { get; set; }

    /// <summary>The triggering event's properties, kept when the journey needs them (<see cref="JourneyInfo.KeepsContext"/>).</summary>
    [Id(13)] public Dictionary<string, string?>? Context { get; set; }
}

/// <summary>One of a user's positions in a journey.</summary>
[GenerateSerializer, Alias("journeys.state.StepPosition")]
public sealed class StepPosition
{
    [Id(0)] public string StepId { get; set; } = "";
    [Id(1)] public DateTimeOffset ArrivedAt { get; set; }

    /// <summary>Events after this call sequence count for "performed since the step" conditions.</summary>
    [Id(2)] public long ArrivedSequence { get; set; }

    /// <summary>
    /// The <c>onStepLeave</c> send steps this position came from and still keeps the user in, while they wait in the
    /// condition or delay right after them; they leave them when they move past that wait. Several when paths merged.
    /// </summary>
    [Id(4)] public List<string> HeldSendStepIds { get; set; } = [];
}

/// <summary>A user's membership of one step.</summary>
[GenerateSerializer, Alias("journeys.state.StepMembership")]
public sealed class StepMembership
{
    [Id(0)] public string StepKey { get; set; } = "";

    /// <summary>How many times the user entered the step.</summary>
    [Id(1)] public int Epoch { get; set; }
    [Id(2)] public bool IsMember { get; set; }
    [Id(3)] public DateTimeOffset Since { get; set; }

    /// <summary>
    /// The destinations told of this epoch's entry (connected then, or announced to since): its exit goes to them only,
    /// so a destination connected later never hears of an exit whose entry it was not told. Null for memberships
    /// entered before this was kept: their exits go to every connection.
    /// </summary>
    [Id(4)] public List<string>? Told { get; set; }
}
