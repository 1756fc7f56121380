using Journeys.Orleans.Connectors;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Delivery;

/// <summary>
/// Keeps up to <c>window</c> requests of one event destination partition in flight, each with the heads of as many
/// ready users as the destination's batch size allows (the <see cref="DeliveryQueue"/> gives one payload per user at a
/// time), and wakes for answers, retries that come due, and new payloads. Used from its grain only, so everything
/// here runs on that grain's scheduler.
/// </summary>
public sealed class PartitionPump(
    string destinationId,
    int partition,
    DestinationDefinition destination,
    IEventConnector connector,
    int window,
    DeliveryQueue queue,
    PartitionOutcomes outcomes,
    TimeProvider clock,
    DeliveryBacklog backlog,
    ILogger logger)
{
    private static readonly TimeSpan BacklogReportInterval = TimeSpan.FromSeconds(1);

    private int _inFlight;
    private DateTimeOffset _backlogReportedAt;
    private Task _running = Task.CompletedTask;
    private TaskCompletionSource _wake = NewWake();
    private readonly CancellationTokenSource _abandon = new();

    /// <summary>While paused, nothing new is sent; requests in flight finish.</summary>
    public bool Paused { get; set; }

    /// <summary>Starts the pump, or wakes it: there may be something new to send.</summary>
    public void Start()
    {
        ReportBacklog(clock.GetUtcNow(), force: false);
        _wake.TrySetResult();
        if (_running.IsCompleted && queue.Count > 0 && !Paused) _running = RunAsync();
    }

    /// <summary>
    /// Sends nothing new and waits until the requests in flight are answered and their outcomes recorded: a stop
    /// (SIGTERM) then neither cuts a receiver off mid-request nor leaves an answered payload to be sent again.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Paused = true;
        _wake.TrySetResult();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Out of time: the requests still waiting are given up (their payloads stay unsent, to be sent again with
            // the same message ids), so that they do not keep the stopping process alive.
            _abandon.Cancel();
            throw;
        }
    }

    private async Task RunAsync()
    {
        var sends = new List<Task>();
        while (true)
        {
            var now = clock.GetUtcNow();
            while (!Paused && _inFlight < window && TakeChunk(now) is { Count: > 0 } chunk)
            {
                _inFlight++;
                sends.Add(SendAsync(chunk));
            }
            sends.RemoveAll(t => t.IsCompleted);
            // Once a stop gave up, the partition has left this silo's gauges: it reports nothing more.
            if (_abandon.IsCancellationRequested) return;
            ReportBacklog(now, force: queue.Count == 0);
            if (sends.Count == 0 && (queue.Count == 0 || Paused)) return;

            _wake = NewWake();
            var wakeUps = new List<Task>(sends) { _wake.Task };
            if (!Paused && _inFlight < window && queue.NextRetryAt is { } due)
                wakeUps.Add(Task.Delay(due > now ? due - now : TimeSpan.Zero));
            await Task.WhenAny(wakeUps);
        }
    }

    /// <summary>Tells the silo's gauges what this partition holds, at most once a second unless it just emptied.</summary>
    private void ReportBacklog(DateTimeOffset now, bool force)
    {
        if (!force && now - _backlogReportedAt < BacklogReportInterval) return;
        _backlogReportedAt = now;
        backlog.Report(destinationId, partition, queue.Count, queue.OldestAcceptedAt);
    }

    private List<PendingPayload> TakeChunk(DateTimeOffset now)
    {
        var chunk = new List<PendingPayload>();
        var size = Math.Max(1, destination.BatchSize);
        while (chunk.Count < size && queue.TakeReady(now) is { } pending) chunk.Add(pending);
        return chunk;
    }

    private async Task SendAsync(List<PendingPayload> chunk)
    {
        IReadOnlyList<SendOutcome> answers;
        try
        {
            answers = await connector.SendAsync(destinationId, destination, chunk.Select(p => p.Payload).ToList(), _abandon.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Destination {DestinationId} connector {Connector} failed a request of {Count}", destinationId, destination.Connector, chunk.Count);
            answers = chunk.Select(p => SendOutcome.NoAnswer(p.Payload.MessageId, $"{ex.GetType().Name}: {ex.Message}")).ToList();
        }
        finally
        {
            _inFlight--;
        }
        // A request given up by a stop that ran out of time is no attempt: its payload stays unsent as it was, with
        // its retry schedule untouched, and goes again after the restart.
        if (_abandon.IsCancellationRequested) return;
        // Backoff and Retry-After count from the answer, not from when the request left: a slow answer would eat the wait.
        await outcomes.RecordAsync(chunk, answers, clock.GetUtcNow());
        _wake.TrySetResult();
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
