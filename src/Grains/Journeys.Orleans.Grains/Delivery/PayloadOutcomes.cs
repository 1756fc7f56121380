using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Delivery;

/// <summary>Where a user's payloads stand in one destination partition, from what the partition holds. Pure.</summary>
public static class PayloadOutcomes
{
    public static IReadOnlyList<PayloadOutcome> Of(string userKey, IReadOnlyList<string> messageIds, DeliveryQueue queue, DeadLetterShelf deadLetters)
    {
        var pending = queue.Of(userKey).ToDictionary(p => p.Payload.MessageId, StringComparer.Ordinal);
        return messageIds.Select(id => Of(id, pending.GetValueOrDefault(id), queue, deadLetters)).ToList();
    }

    private static PayloadOutcome Of(string messageId, PendingPayload? pending, DeliveryQueue queue, DeadLetterShelf deadLetters)
    {
        if (pending is not null)
        {
            return pending.Attempts == 0
                ? new PayloadOutcome(messageId, PayloadState.Queued)
                : new PayloadOutcome(messageId, PayloadState.Retrying, pending.Attempts, deadLetters.LastFailureOf(messageId)?.Reason, pending.NextAttemptAt);
        }
        // A replayed letter is queued again (above) before it leaves the shelf.
        if (deadLetters.Find(messageId) is { } letter)
        {
            var answer = letter.Status is { } status ? $"HTTP {status}: {letter.Reason}" : letter.Reason;
            return new PayloadOutcome(messageId, PayloadState.Failed, letter.Attempts, answer, letter.FailedAt);
        }
        return new PayloadOutcome(messageId, queue.WasSettled(messageId) ? PayloadState.Delivered : PayloadState.Unknown);
    }
}
