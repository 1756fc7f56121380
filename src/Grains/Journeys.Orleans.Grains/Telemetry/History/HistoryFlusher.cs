using Journeys.Orleans.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Telemetry.History;

/// <summary>
/// Takes what <see cref="HistoryAggregator"/> counted every <see cref="JourneysOptions.HistoryFlushInterval"/> and adds
/// it to the <see cref="IHistoryStore"/>; a flush that fails is put back and written with the next. Runs while the silo
/// is active, flushes once more when the silo stops (after its grains were deactivated, before the database pool
/// closes), and deletes minutes older than <see cref="JourneysOptions.HistoryRetention"/> about once an hour.
/// </summary>
public sealed partial class HistoryFlusher(
    HistoryAggregator aggregator, IHistoryStore store, IOptions<JourneysOptions> options, TimeProvider clock, ILogger<HistoryFlusher> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private CancellationTokenSource? _stop;
    private Task _loop = Task.CompletedTask;
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(HistoryFlusher), ServiceLifecycleStage.Active, StartAsync, StopLoopAsync);
        lifecycle.Subscribe(nameof(HistoryFlusher) + ".Last", ServiceLifecycleStage.RuntimeGrainServices, _ => Task.CompletedTask, FlushOnStopAsync);
    }

    /// <summary>Adds what was counted since the last flush to the store now.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var batch = aggregator.Take();
            if (!batch.IsEmpty)
            {
                try
                {
                    await store.AddAsync(batch, cancellationToken);
                }
                catch (Exception ex)
                {
                    aggregator.Return(batch, clock.GetUtcNow() - options.Value.HistoryRetention);
                    // Stopping: the stop's own flush writes it.
                    if (cancellationToken.IsCancellationRequested) throw;
                    LogFlushFailed(logger, ex, batch.Deliveries.Count, batch.Flow.Count);
                    return;
                }
            }
            var now = clock.GetUtcNow();
            if (now - _prunedAt >= TimeSpan.FromHours(1))
            {
                _prunedAt = now;
                try
                {
                    await store.PruneAsync(now - options.Value.HistoryRetention, cancellationToken);
                }
                catch (Exception ex)
                {
                    LogPruneFailed(logger, ex);
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>The last flush: given up (and logged) when the stop runs out of time, rather than holding the silo past its timeout.</summary>
    private async Task FlushOnStopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            LogStopFlushGivenUp(logger);
        }
    }

    private Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered once per AddJourneys call: a second registration must not start a second loop.
        if (_stop is not null) return Task.CompletedTask;
        _stop = new CancellationTokenSource();
        _loop = RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private async Task StopLoopAsync(CancellationToken cancellationToken)
    {
        if (_stop is not { } stop) return;
        _stop = null;
        await stop.CancelAsync();
        await _loop;
        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.HistoryFlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) await FlushAsync(cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The silo stops; what this flush did not write is back in the aggregator for the stop's flush.
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Could not store the delivery and flow history ({Deliveries} destination minutes, {Flow} flow counts); trying again with the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int deliveries, int flow);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The silo's stop ran out of time before its delivery and flow history was stored")]
    private static partial void LogStopFlushGivenUp(ILogger logger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Could not delete old delivery and flow history")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);
}
