using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Persistence;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Delivery;

/// <summary>
/// An event destination partition's sent payloads whose outbox rows are still to be deleted. A sent payload's row is
/// deleted before its user sends anything else, the deletes of many users going together; a delete that fails is tried
/// again until it succeeds, so a restart never sends a payload again after a newer one of the same user. Used from its
/// grain only, so everything here runs on that grain's scheduler. <c>forgotten</c> is told of the payloads whose rows
/// are gone: their users may send again.
/// </summary>
public sealed class SentPayloadRows(
    IEventOutbox outbox, string destinationId, int partition, Action<IReadOnlyList<OutgoingPayload>> forgotten, ILogger logger)
{
    // Counter increments written before they are folded into one row again (each is a row, see 0007_delivery_counts.sql).
    private const int CountRowsFolded = 1000;

    private readonly List<OutgoingPayload> _toForget = [];
    private Task _forgetting = Task.CompletedTask;
    private int _countRows;

    /// <summary>Sent payloads whose rows are not deleted yet.</summary>
    public int Count => _toForget.Count;

    public void Forget(OutgoingPayload payload)
    {
        _toForget.Add(payload);
        if (_forgetting.IsCompleted) _forgetting = ForgetAsync();
    }

    /// <summary>Notes a counter row written by another statement (a retry), so they are folded in time too.</summary>
    public void CountRowWritten() => _countRows++;

    /// <summary>Completes when every sent payload's row is deleted.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _forgetting.WaitAsync(cancellationToken);

    private async Task ForgetAsync()
    {
        await Task.Yield();
        var failures = 0;
        while (_toForget.Count > 0)
        {
            var batch = _toForget.ToList();
            _toForget.Clear();
            try
            {
                await outbox.RemoveAsync(destinationId, partition, batch.Select(p => p.MessageId).ToList());
                failures = 0;
                forgotten(batch);
                await FoldCountsNowAndThenAsync();
            }
            catch (Exception ex)
            {
                _toForget.InsertRange(0, batch);
                failures++;
                logger.LogWarning("Destination {DestinationId} partition {Partition} could not forget {Count} sent payloads (attempt {Attempt}); trying again: {Error}",
                    destinationId, partition, batch.Count, failures, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * (1 << Math.Min(failures, 6)))));
            }
        }
    }

    /// <summary>Keeps the partition's counter rows few: each counted write adds one.</summary>
    private async Task FoldCountsNowAndThenAsync()
    {
        if (++_countRows < CountRowsFolded) return;
        _countRows = 0;
        try
        {
            await outbox.LoadCountersAsync(destinationId, partition);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Destination {DestinationId} partition {Partition} did not fold its counter rows this time", destinationId, partition);
        }
    }
}
