using Journeys.Orleans.Domain;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Users go in parallel; one user's payloads go one at a time and in order; known payloads are kept once.</summary>
public sealed class DeliveryQueueTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static PendingPayload Payload(string user, int n) => new(new OutgoingPayload($"m-{user}-{n}", CallType.Track, user, "{}"));

    [Fact]
    public void Every_user_with_a_payload_is_ready_at_once_but_only_with_its_first()
    {
        var queue = new DeliveryQueue();
        queue.Add(Payload("a", 1));
        queue.Add(Payload("a", 2));
        queue.Add(Payload("b", 1));

        var first = queue.TakeReady(Now);
        var second = queue.TakeReady(Now);

        Assert.Equal("m-a-1", first!.Payload.MessageId);
        Assert.Equal("m-b-1", second!.Payload.MessageId);
        Assert.Null(queue.TakeReady(Now));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public void A_users_next_payload_waits_until_the_sent_one_is_released()
    {
        var queue = new DeliveryQueue();
        queue.Add(Payload("a", 1));
        queue.Add(Payload("a", 2));
        var sent = queue.TakeReady(Now)!;

        queue.Settle(sent);
        var beforeRelease = queue.TakeReady(Now);
        queue.Release("a");
        var afterRelease = queue.TakeReady(Now);

        Assert.Null(beforeRelease);
        Assert.Equal("m-a-2", afterRelease!.Payload.MessageId);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public void A_retry_holds_back_only_its_own_user_until_its_time()
    {
        var queue = new DeliveryQueue();
        queue.Add(Payload("a", 1));
        queue.Add(Payload("a", 2));
        queue.Add(Payload("b", 1));
        var failed = queue.TakeReady(Now)!;
        queue.RetryAt(failed, Now.AddSeconds(5));

        var meanwhile = queue.TakeReady(Now);
        var tooEarly = queue.TakeReady(Now.AddSeconds(4));
        var due = queue.TakeReady(Now.AddSeconds(5));

        Assert.Equal("m-b-1", meanwhile!.Payload.MessageId);
        Assert.Null(tooEarly);
        Assert.Same(failed, due);
        Assert.Equal(Now.AddSeconds(5), failed.NextAttemptAt);
    }

    [Fact]
    public void A_payload_told_twice_or_after_it_was_sent_is_kept_once_and_a_replay_brings_it_back()
    {
        var queue = new DeliveryQueue();
        Assert.True(queue.Add(Payload("a", 1)));
        Assert.False(queue.Add(Payload("a", 1)));
        var sent = queue.TakeReady(Now)!;
        queue.Settle(sent);
        queue.Release("a");

        var toldAgain = queue.Add(Payload("a", 1));
        var replayed = queue.Add(Payload("a", 1), replay: true);

        Assert.False(toldAgain);
        Assert.True(replayed);
        Assert.Equal(1, queue.Count);
    }
}
