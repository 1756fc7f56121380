using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// What one attempt to send a payload came to: the receiver's HTTP status (null when there was no answer:
/// connection failure, timeout, open circuit), what it asked for in <c>Retry-After</c>, and a short description.
/// <see cref="Domain.DeliveryPolicy.Classify"/> turns it into delivered, retry or dead-letter.
/// </summary>
public sealed record SendOutcome(string MessageId, int? Status, string Detail, TimeSpan? RetryAfter = null, string? Response = null)
{
    public static SendOutcome Accepted(string messageId) => new(messageId, 200, "accepted");
    public static SendOutcome NoAnswer(string messageId, string detail) => new(messageId, null, detail);

    internal static SendOutcome From(string messageId, JsonPoster.Answer answer) =>
        new(messageId, answer.Status, answer.Detail, answer.RetryAfter, answer.Status is >= 200 and < 300 ? null : answer.Response);
}

/// <summary>Sends an event destination's payloads to where the destination's connector says.</summary>
public interface IEventConnector
{
    /// <summary>The connector kind this sender serves.</summary>
    ConnectorKind Kind { get; }

    /// <summary>Sends each of <paramref name="payloads"/> (at most one per user); one outcome per payload, in order.</summary>
    Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken);
}
