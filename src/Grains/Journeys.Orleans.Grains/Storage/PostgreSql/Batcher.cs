using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// Items from many callers wait a moment in a queue and are run together, so a thousand concurrent writes (or reads)
/// cost a handful of round trips and commits instead of a thousand. No caller is answered before its batch has run. A
/// batch that fails is split and each item run alone, so one bad item cannot fail the others.
/// </summary>
public sealed class Batcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _run;
    private readonly ILogger _logger;
    private readonly int _maxWeight;
    private readonly Func<TItem, int> _weight;
    private readonly Action<int, TimeSpan>? _ran;
    private readonly Task[] _writers;

    /// <param name="run">Runs a batch atomically and returns one result per item, in order.</param>
    /// <param name="logger">Where split batches are noted.</param>
    /// <param name="writers">Batches run at once.</param>
    /// <param name="maxWeight">How much one batch holds at most.</param>
    /// <param name="weight">How much of <paramref name="maxWeight"/> an item takes (statements, rows).</param>
    /// <param name="ran">Told of each batch that ran whole: how many items, and how long it took.</param>
    public Batcher(
        Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> run, ILogger logger, int writers, int maxWeight, Func<TItem, int> weight,
        Action<int, TimeSpan>? ran = null)
    {
        _ran = ran;
        _run = run;
        _logger = logger;
        _maxWeight = maxWeight;
        _weight = weight;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public Task<TResult> RunAsync(TItem item)
    {
        var pending = new Pending(item);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(Batcher<TItem, TResult>));
        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var taken = 0;
            while (taken < _maxWeight && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                taken += _weight(pending.Item);
            }
            if (batch.Count == 0) continue;
            await RunBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task RunBatchAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var results = await _run(batch.Select(p => p.Item).ToList());
            _ran?.Invoke(batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            _logger.LogDebug(ex, "A batch of {Count} failed; running each alone", batch.Count);
            foreach (var pending in batch) await RunBatchAsync([pending]);
        }
        catch (Exception ex)
        {
            batch[0].Completion.TrySetException(ex);
        }
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;
        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
