using Journeys.Orleans.Connectors;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;
using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Delivery;

/// <summary>
/// What an event destination partition does with its receiver's answers, under Segment's rules
/// (<see cref="DeliveryPolicy"/>): a delivered payload is forgotten (its row deleted before its user sends again), a
/// retry is scheduled and written with the outbox, a refusal becomes a dead letter. Keeps the partition's counters.
/// Used from its grain only, so everything here runs on that grain's scheduler.
/// </summary>
public sealed class PartitionOutcomes(
    string destinationId,
    int partition,
    DeliveryQueue queue,
    DeadLetterShelf deadLetters,
    DeliveryPolicy policy,
    IEventOutbox? outbox,
    SentPayloadRows? sent,
    TimeProvider clock,
    TimeSpan retryFirstDelay,
    JourneysMetrics metrics,
    ILogger logger)
{
    public long Delivered { get; set; }

    public long Retries { get; set; }

    public long Skipped { get; set; }

    /// <summary>Records the answers to one request; <paramref name="outcomes"/> are in the order of <paramref name="chunk"/>.</summary>
    public async Task RecordAsync(IReadOnlyList<PendingPayload> chunk, IReadOnlyList<SendOutcome> outcomes, DateTimeOffset answeredAt)
    {
        for (var i = 0; i < chunk.Count; i++)
        {
            var pending = chunk[i];
            var outcome = i < outcomes.Count ? outcomes[i] : SendOutcome.NoAnswer(pending.Payload.MessageId, "no outcome");
            try
            {
                switch (DeliveryPolicy.Classify(outcome.Status))
                {
                    case AttemptVerdict.Delivered:
                        queue.Settle(pending);
                        Delivered++;
                        metrics.Delivered(destinationId, answeredAt - pending.Payload.AcceptedAt);
                        // With an outbox, the user sends again once the sent payload's row is deleted.
                        if (sent is null) queue.Release(pending.Payload.UserKey);
                        else sent.Forget(pending.Payload);
                        break;
                    case AttemptVerdict.Retry:
                        await RetryLaterAsync(pending, outcome, answeredAt);
                        break;
                    default:
                        await DeadLetterAsync(pending, outcome, outcome.Detail, answeredAt);
                        break;
                }
            }
            catch (Exception ex)
            {
                // The dead letter could not be recorded: the payload stays first in its user's line and is tried again.
                logger.LogWarning(ex, "Destination {DestinationId} could not record the outcome of {MessageId}", destinationId, pending.Payload.MessageId);
                queue.RetryAt(pending, clock.GetUtcNow() + retryFirstDelay);
            }
        }
    }

    private async Task RetryLaterAsync(PendingPayload pending, SendOutcome outcome, DateTimeOffset now)
    {
        pending.Attempts++;
        pending.FirstAttemptAt ??= now;
        if (policy.GivesUp(pending.FirstAttemptAt.Value, now))
        {
            await DeadLetterAsync(pending, outcome, $"gave up after retrying for {policy.MaxRetryDuration}: {outcome.Detail}", now);
            return;
        }
        var delay = policy.DelayAfter(pending.Attempts, outcome.RetryAfter, Random.Shared);
        queue.RetryAt(pending, now + delay);
        Retries++;
        metrics.Retried(destinationId);
        sent?.CountRowWritten();
        deadLetters.RememberFailure(pending.Payload.MessageId, clock.GetUtcNow(), $"{outcome.Detail}; retry {pending.Attempts} in {delay.TotalSeconds:0.##} s");
        if (outbox is null) return;
        try
        {
            await outbox.RescheduleAsync(destinationId, partition, new OutboxEntry(pending.Payload, pending.Attempts, pending.FirstAttemptAt, pending.NextAttemptAt));
        }
        catch (Exception ex)
        {
            // After a restart it is simply tried again sooner.
            logger.LogWarning(ex, "Destination {DestinationId} could not record the retry schedule of {MessageId}", destinationId, pending.Payload.MessageId);
        }
    }

    private async Task DeadLetterAsync(PendingPayload pending, SendOutcome outcome, string reason, DateTimeOffset now)
    {
        var letter = new DeadLetter(pending.Payload.MessageId, pending.Payload.UserKey, outcome.Status, reason, outcome.Response, pending.Attempts + 1, now);
        if (outbox is not null) await outbox.DeadLetterAsync(destinationId, partition, pending.Payload, letter);
        queue.Settle(pending);
        queue.Release(pending.Payload.UserKey);
        deadLetters.Add(pending.Payload, letter);
        metrics.DeadLettered(destinationId);
        deadLetters.RememberFailure(pending.Payload.MessageId, clock.GetUtcNow(), reason);
        logger.LogWarning("Destination {DestinationId} dead-lettered {MessageId}: {Reason}", destinationId, pending.Payload.MessageId, reason);
    }
}
