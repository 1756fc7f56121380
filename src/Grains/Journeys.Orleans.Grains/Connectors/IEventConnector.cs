using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Connectors;

/// <summary>The outcome of sending one payload.</summary>
public sealed record SendOutcome(string MessageId, bool Delivered, string? FailureReason)
{
    public static SendOutcome Success(string messageId) => new(messageId, true, null);
    public static SendOutcome Failure(string messageId, string reason) => new(messageId, false, reason);
}

/// <summary>Sends an event destination's payloads to where the destination's connector says.</summary>
public interface IEventConnector
{
    /// <summary>The connector kind this sender serves.</summary>
    ConnectorKind Kind { get; }

    /// <summary>Sends <paramref name="payloads"/> in order; one outcome per payload, in the same order.</summary>
    Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken);
}
