using System.Collections.Concurrent;

namespace Journeys.Orleans.Users;

/// <summary>Coalescers whose items are lists: the lists handed over meanwhile go as one list, in the order handed over.</summary>
public static class CallCoalescer
{
    /// <param name="send">Sends one list to a target.</param>
    /// <param name="maxItems">Items one call carries at most (a longer list handed over alone still goes whole).</param>
    public static CallCoalescer<IReadOnlyList<T>> OfLists<T>(Func<string, IReadOnlyList<T>, Task> send, int maxItems) =>
        new((target, lists) => send(target, lists.Count == 1 ? lists[0] : lists.SelectMany(l => l).ToList()), list => list.Count, maxItems);
}

/// <summary>
/// Calls to one target (a partition grain) from many callers of this silo: one call per target is in flight at a time,
/// and what callers hand over meanwhile goes together in the next call, so a thousand users' hand-offs cost a handful of
/// grain calls instead of a thousand, and a quiet target adds no wait. A caller is answered when the call that carried
/// its item was: completed, or failed with that call's exception. Items of one caller keep their order as long as the
/// caller waits for each before handing over the next (a user grain does).
/// </summary>
public sealed class CallCoalescer<TItem>(Func<string, IReadOnlyList<TItem>, Task> send, Func<TItem, int> weight, int maxWeight)
{
    private readonly ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    public Task SendAsync(string target, TItem item)
    {
        var lane = _lanes.GetOrAdd(target, static _ => new Lane());
        var waiting = new Waiting(item);
        bool start;
        lock (lane)
        {
            lane.Queue.Enqueue(waiting);
            start = !lane.Sending;
            lane.Sending = true;
        }
        if (start)
        {
            // The lane is drained off the caller's turn (a grain's turn must not carry other users' calls) and without
            // its context: the caller's request context and trace belong to its own call, not to a batch of many.
            using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => DrainAsync(target, lane));
        }
        return waiting.Done.Task;
    }

    private async Task DrainAsync(string target, Lane lane)
    {
        var batch = new List<Waiting>();
        while (true)
        {
            lock (lane)
            {
                var taken = 0;
                while (lane.Queue.TryPeek(out var next))
                {
                    var itemWeight = weight(next.Item);
                    if (batch.Count > 0 && taken + itemWeight > maxWeight) break;
                    batch.Add(lane.Queue.Dequeue());
                    taken += itemWeight;
                }
                if (batch.Count == 0)
                {
                    lane.Sending = false;
                    return;
                }
            }
            try
            {
                await send(target, batch.ConvertAll(w => w.Item));
                foreach (var waiting in batch) waiting.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                foreach (var waiting in batch) waiting.Done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private sealed class Lane
    {
        public Queue<Waiting> Queue { get; } = new();
        public bool Sending { get; set; }
    }

    private sealed class Waiting(TItem item)
    {
        public TItem Item { get; } = item;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
