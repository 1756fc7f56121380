using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Persistence;

/// <summary>
/// Where event destination partitions keep accepted, unsent payloads when a database is configured, so that a
/// restart or a failover resumes from where it stopped. Payloads are identified by their message ids.
/// </summary>
public interface IEventOutbox
{
    /// <summary>Keeps <paramref name="payloads"/> in order; completes once they are durable.</summary>
    Task AppendAsync(string destinationId, int partition, IReadOnlyList<OutgoingPayload> payloads);

    /// <summary>Forgets payloads that were sent or refused for good.</summary>
    Task RemoveAsync(string destinationId, IReadOnlyList<string> messageIds);

    /// <summary>Every payload of the partition still kept, in the order accepted.</summary>
    Task<IReadOnlyList<OutgoingPayload>> LoadAsync(string destinationId, int partition);
}

/// <summary>The outbox when a database is configured; none on the embedded in-memory default.</summary>
public sealed record EventOutboxStorage(IEventOutbox? Outbox);
