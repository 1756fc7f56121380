using Journeys.Orleans.Domain;

namespace Journeys.Orleans.Model;

/// <summary>
/// A user's path through their journeys, from the transitions the user keeps (the most recent ones): each visit of a
/// step with when it began and ended, and for a send step the payloads its entry and exit made for each event
/// destination connected to it now, with where each one stands.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.UserPath")]
public sealed record UserPath(
    [property: Id(0)] string SpaceId,
    [property: Id(1)] string UserKey,
    [property: Id(2)] IReadOnlyList<JourneyPath> Journeys);

/// <summary>One journey's visits, in the order they began.</summary>
[GenerateSerializer, Immutable, Alias("journeys.JourneyPath")]
public sealed record JourneyPath(
    [property: Id(0)] string JourneyId,
    [property: Id(1)] IReadOnlyList<StepVisit> Visits);

/// <summary>
/// One stay in one step. <see cref="EnteredAt"/> is null when the entry is older than the kept transitions;
/// <see cref="LeftAt"/> is null while the user is still there.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.StepVisit")]
public sealed record StepVisit(
    [property: Id(0)] string StepId,
    [property: Id(1)] string StepKey,
    [property: Id(2)] StepKind StepKind,
    [property: Id(3)] int Epoch,
    [property: Id(4)] DateTimeOffset? EnteredAt,
    [property: Id(5)] DateTimeOffset? LeftAt,
    [property: Id(6)] IReadOnlyList<PathSend> Sends);

/// <summary>A payload a visit's entry or exit made for one event destination, and where it stands.</summary>
[GenerateSerializer, Immutable, Alias("journeys.PathSend")]
public sealed record PathSend(
    [property: Id(0)] string DestinationId,
    [property: Id(1)] string DestinationName,
    [property: Id(2)] TransitionDirection Direction,
    [property: Id(3)] CallType CallType,
    [property: Id(4)] PayloadOutcome Outcome);

/// <summary>Where one payload stands.</summary>
public enum PayloadState
{
    /// <summary>Its destination partition does not know it now: delivered before the partition's memory of recent deliveries, or before a restart.</summary>
    Unknown = 0,

    /// <summary>Committed with its user, not yet handed to its destination partition.</summary>
    Waiting = 1,

    /// <summary>Queued at its destination partition, not yet attempted.</summary>
    Queued = 2,

    /// <summary>Attempted, and to be tried again (<see cref="PayloadOutcome.At"/>: when).</summary>
    Retrying = 3,

    /// <summary>Accepted by the receiver (or, a dead letter replayed later, dropped as superseded by a newer payload).</summary>
    Delivered = 4,

    /// <summary>Refused, or retried until the destination's limit: a dead letter (<see cref="PayloadOutcome.At"/>: when).</summary>
    Failed = 5,
}

/// <summary>Where the payload <see cref="MessageId"/> stands; <see cref="Detail"/> is the last failure's answer.</summary>
[GenerateSerializer, Immutable, Alias("journeys.PayloadOutcome")]
public sealed record PayloadOutcome(
    [property: Id(0)] string MessageId,
    [property: Id(1)] PayloadState State,
    [property: Id(2)] int Attempts = 0,
    [property: Id(3)] string? Detail = null,
    [property: Id(4)] DateTimeOffset? At = null);
