using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Persistence;

/// <summary>A payload waiting to be sent, with its retry schedule.</summary>
public sealed record OutboxEntry(OutgoingPayload Payload, int Attempts = 0, DateTimeOffset? FirstAttemptAt = null, DateTimeOffset? NextAttemptAt = null);

/// <summary>A partition's counters that only it changes, kept with its rows so they survive restarts.</summary>
public sealed record DeliveryCounters(long Delivered = 0, long Retries = 0, long Skipped = 0);

/// <summary>
/// Where event destination partitions find unsent payloads (with their retry schedule) and keep dead letters when a
/// database is configured, so that a restart or a failover resumes from where it stopped. Payloads are written by the
/// user's own commit (<see cref="Users.IUserStore"/>) and identified by their message ids.
/// </summary>
public interface IEventOutbox
{
    /// <summary>One user's payloads still kept in the partition, in the order accepted.</summary>
    Task<IReadOnlyList<OutboxEntry>> LoadUserAsync(string destinationId, int partition, string userKey);

    /// <summary>
    /// Forgets payloads that were sent and, in the same statement, counts those forgotten as delivered, so the count
    /// never drifts from the rows: a delete tried again after its answer was lost counts nothing twice.
    /// </summary>
    Task RemoveAsync(string destinationId, int partition, IReadOnlyList<string> messageIds);

    /// <summary>Records the retry schedule of a payload that will be sent again, and counts the retry, in one statement.</summary>
    Task RescheduleAsync(string destinationId, int partition, OutboxEntry entry);

    /// <summary>Moves a payload from the outbox to the dead letters, atomically.</summary>
    Task DeadLetterAsync(string destinationId, int partition, OutgoingPayload payload, DeadLetter letter);

    /// <summary>Every payload of the partition still kept, in the order accepted.</summary>
    Task<IReadOnlyList<OutboxEntry>> LoadAsync(string destinationId, int partition);

    /// <summary>The partition's dead letters, oldest first.</summary>
    Task<IReadOnlyList<(OutgoingPayload Payload, DeadLetter Letter)>> LoadDeadLettersAsync(string destinationId, int partition);

    /// <summary>
    /// Moves dead letters back into the outbox with a fresh retry schedule, and drops (and counts as skipped) those
    /// that a later message superseded, atomically.
    /// </summary>
    Task ReplayAsync(string destinationId, int partition, IReadOnlyList<OutgoingPayload> payloads, IReadOnlyList<string> skippedMessageIds);

    /// <summary>The partition's counters as last committed.</summary>
    Task<DeliveryCounters> LoadCountersAsync(string destinationId, int partition);
}

/// <summary>The outbox when a database is configured; none on the embedded in-memory default.</summary>
public sealed record EventOutboxStorage(IEventOutbox? Outbox);
