using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// The outcome of sending one payload: delivered, refused for good (the receiver answered no), or not known to have
/// arrived (no answer: connection failure, timeout), in which case it is sent again.
/// </summary>
public sealed record SendOutcome(string MessageId, bool Delivered, string? FailureReason, bool Retryable = false)
{
    public static SendOutcome Success(string messageId) => new(messageId, true, null);
    public static SendOutcome Failure(string messageId, string reason) => new(messageId, false, reason);
    public static SendOutcome NoAnswer(string messageId, string reason) => new(messageId, false, reason, Retryable: true);
}

/// <summary>Sends an event destination's payloads to where the destination's connector says.</summary>
public interface IEventConnector
{
    /// <summary>The connector kind this sender serves.</summary>
    ConnectorKind Kind { get; }

    /// <summary>
    /// Sends <paramref name="payloads"/> in order; one outcome per payload, in the same order, stopping after the
    /// first retryable outcome so that nothing overtakes a payload that will be sent again.
    /// </summary>
    Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken);
}
