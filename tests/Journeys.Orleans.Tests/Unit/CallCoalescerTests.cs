using Journeys.Orleans.Users;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>
/// One call per target in flight; what callers hand over meanwhile goes together in the next call, in the order handed
/// over; each caller is answered by the call that carried its item.
/// </summary>
public sealed class CallCoalescerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Items_handed_over_while_a_call_is_in_flight_go_together_in_the_next_call_in_order()
    {
        var calls = new List<(string Target, IReadOnlyList<int> Items)>();
        var firstCall = new TaskCompletionSource();
        var coalescer = new CallCoalescer<int>(async (target, items) =>
        {
            lock (calls) calls.Add((target, items));
            if (items[0] == 0) await firstCall.Task;
        }, _ => 1, maxWeight: 100);

        var first = coalescer.SendAsync("p0", 0);
        await WaitUntil(() => { lock (calls) return calls.Count == 1; });
        var waiting = Enumerable.Range(1, 5).Select(i => coalescer.SendAsync("p0", i)).ToList();
        Assert.DoesNotContain(waiting, t => t.IsCompleted);

        firstCall.SetResult();
        await first.WaitAsync(Deadline);
        await Task.WhenAll(waiting).WaitAsync(Deadline);

        Assert.Equal(2, calls.Count);
        Assert.Equal([1, 2, 3, 4, 5], calls[1].Items);
    }

    [Fact]
    public async Task Targets_do_not_wait_for_each_other()
    {
        var blocked = new TaskCompletionSource();
        var coalescer = new CallCoalescer<int>((target, _) => target == "slow" ? blocked.Task : Task.CompletedTask, _ => 1, maxWeight: 100);

        var slow = coalescer.SendAsync("slow", 1);
        await coalescer.SendAsync("fast", 2).WaitAsync(Deadline);

        Assert.False(slow.IsCompleted);
        blocked.SetResult();
        await slow.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_call_carries_at_most_its_weight_and_the_rest_follows()
    {
        var sizes = new List<int>();
        var release = new TaskCompletionSource();
        var coalescer = new CallCoalescer<int>(async (_, items) =>
        {
            lock (sizes) sizes.Add(items.Sum());
            await release.Task;
        }, weight: item => item, maxWeight: 10);

        var first = coalescer.SendAsync("p", 1);
        await WaitUntil(() => { lock (sizes) return sizes.Count == 1; });
        var rest = new[] { 4, 4, 4, 12 }.Select(w => coalescer.SendAsync("p", w)).ToList();
        release.SetResult();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Deadline);

        // 4+4 fit, the third 4 does not; an item heavier than the limit still goes, alone.
        Assert.Equal([1, 8, 4, 12], sizes);
    }

    [Fact]
    public async Task A_failed_call_fails_every_caller_it_carried_and_the_lane_keeps_working()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var fail = true;
        var coalescer = new CallCoalescer<int>(async (_, items) =>
        {
            started.TrySetResult();
            if (items[0] == 0) await release.Task;
            else if (fail) throw new InvalidOperationException("partition away");
        }, _ => 1, maxWeight: 100);

        var first = coalescer.SendAsync("p", 0);
        await started.Task.WaitAsync(Deadline);
        var carried = new[] { coalescer.SendAsync("p", 1), coalescer.SendAsync("p", 2) };
        release.SetResult();
        await first.WaitAsync(Deadline);
        foreach (var task in carried)
            await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Deadline));

        fail = false;
        await coalescer.SendAsync("p", 3).WaitAsync(Deadline);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(10);
        }
    }
}
