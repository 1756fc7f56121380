using Journeys.Orleans.Delivery;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Where a user's payloads stand in a partition: queued, delivered (settled), failed (a dead letter), or unknown.</summary>
public sealed class PayloadOutcomesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_payload_is_told_by_what_the_partition_holds_of_it()
    {
        var queue = new DeliveryQueue();
        var shelf = new DeadLetterShelf();
        var sent = new PendingPayload(new OutgoingPayload("m-sent", CallType.Track, "u:a", "{}"));
        queue.Add(sent);
        queue.Add(new PendingPayload(new OutgoingPayload("m-queued", CallType.Track, "u:a", "{}")));
        Assert.Same(sent, queue.TakeReady(Now));
        queue.Settle(sent);
        var letter = new DeadLetter("m-dead", "u:a", 410, "gone", "no such user", 1, Now);
        shelf.Add(new OutgoingPayload("m-dead", CallType.Track, "u:a", "{}"), letter);

        var outcomes = PayloadOutcomes.Of("u:a", ["m-sent", "m-queued", "m-dead", "m-never"], queue, shelf);

        Assert.Equal(
            [PayloadState.Delivered, PayloadState.Queued, PayloadState.Failed, PayloadState.Unknown],
            outcomes.Select(o => o.State));
        Assert.Equal(("HTTP 410: gone", 1, Now), (outcomes[2].Detail, outcomes[2].Attempts, outcomes[2].At));
    }
}
