using Journeys.Orleans.Connectors;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// One partition of an event destination. Turns transitions into Segment payloads, keeps them in the outbox
/// (durable when a database is configured) before acknowledging, and sends them through the destination's
/// connector from a queue, so the caller never waits for the receiver and order is kept. A payload that got no
/// answer is sent again (backing off) before anything after it; one the receiver refused is counted as failed.
/// While it holds unsent payloads it keeps a reminder, so that after a crash or restart it comes back by itself.
/// Reentrant: all state changes happen between awaits.
/// </summary>
[GrainType("eventdelivery")]
[Reentrant]
public sealed class EventDeliveryGrain(
    IEnumerable<IEventConnector> connectors,
    EventOutboxStorage outboxStorage,
    IOptions<JourneysOptions> options,
    ILogger<EventDeliveryGrain> logger)
    : Grain, IEventDeliveryGrain, IRemindable
{
    private const string DrainReminder = "drain";
    private const int BatchSize = 100;
    private const int FailuresKept = 20;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromSeconds(30);

    private readonly Queue<OutgoingPayload> _queue = new();
    private readonly Queue<DeliveryFailure> _lastFailures = new();
    private DestinationDefinition _destination = new();
    private IEventConnector _connector = null!;
    private string _destinationId = "";
    private int _partition;
    private bool _reminderRegistered;
    private Task _pump = Task.CompletedTask;
    private long _received;
    private long _delivered;
    private long _failed;
    private long _retries;

    private IEventOutbox? Outbox => outboxStorage.Outbox;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        _destinationId = key[..slash];
        _partition = int.Parse(key[(slash + 2)..], System.Globalization.CultureInfo.InvariantCulture);
        _destination = await GrainFactory.GetGrain<IDestinationGrain>(_destinationId).GetConfigurationAsync();
        _connector = connectors.FirstOrDefault(c => c.Kind == _destination.Connector)
            ?? throw new InvalidOperationException($"No connector of kind {_destination.Connector} is registered.");

        if (Outbox is null) return;
        var pending = await Outbox.LoadAsync(_destinationId, _partition);
        if (pending.Count == 0) return;
        foreach (var payload in pending) _queue.Enqueue(payload);
        _reminderRegistered = true;
        logger.LogInformation("Destination {DestinationId} partition {Partition} resumes {Count} unsent payloads", _destinationId, _partition, pending.Count);
        _pump = PumpAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Outbox is null)
        {
            await _pump.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
            if (_queue.Count > 0)
                logger.LogWarning("Destination {DestinationId} partition {Partition} deactivated with {Count} payloads unsent", _destinationId, _partition, _queue.Count);
            return;
        }

        // Unsent payloads stay in the outbox and the reminder brings the partition back for them.
        if (_queue.Count == 0 && _reminderRegistered)
        {
            try
            {
                var reminder = await this.GetReminder(DrainReminder);
                if (reminder is not null) await this.UnregisterReminder(reminder);
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Destination {DestinationId} partition {Partition} kept its drain reminder", _destinationId, _partition);
            }
        }
    }

    public async Task DeliverAsync(IReadOnlyList<TransitionDelivery> deliveries)
    {
        var payloads = deliveries.SelectMany(d => SegmentPayloadBuilder.Build(d.Transition, d.Connection)).ToList();

        if (Outbox is not null)
        {
            await EnsureDrainReminderAsync();
            await Outbox.AppendAsync(_destinationId, _partition, payloads);
        }

        foreach (var payload in payloads) _queue.Enqueue(payload);
        _received += payloads.Count;
        if (_pump.IsCompleted) _pump = PumpAsync();
    }

    public Task<DeliveryStats> GetStatsAsync() => Task.FromResult(new DeliveryStats
    {
        Received = _received,
        Delivered = _delivered,
        Failed = _failed,
        Pending = _queue.Count,
        LastFailures = _lastFailures.ToList(),
        Retries = _retries,
    });

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_queue.Count > 0 && _pump.IsCompleted) _pump = PumpAsync();
        return Task.CompletedTask;
    }

    private async Task EnsureDrainReminderAsync()
    {
        if (_reminderRegistered) return;
        _reminderRegistered = true;
        var period = options.Value.ResumeReminderPeriod;
        await this.RegisterOrUpdateReminder(DrainReminder, period, period);
    }

    private async Task PumpAsync()
    {
        var retryDelay = FirstRetryDelay;
        while (_queue.Count > 0)
        {
            var batch = _queue.Take(BatchSize).ToList();
            IReadOnlyList<SendOutcome> outcomes;
            try
            {
                outcomes = await _connector.SendAsync(_destinationId, _destination, batch, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Destination {DestinationId} connector {Connector} failed a batch of {Count}", _destinationId, _destination.Connector, batch.Count);
                outcomes = [SendOutcome.NoAnswer(batch[0].MessageId, $"{ex.GetType().Name}: {ex.Message}")];
            }

            var settled = outcomes.TakeWhile(o => !o.Retryable).ToList();
            if (settled.Count > 0 && Outbox is not null)
            {
                try
                {
                    await Outbox.RemoveAsync(_destinationId, settled.Select(o => o.MessageId).ToList());
                }
                catch (Exception ex)
                {
                    // They stay in the outbox and are sent again after a restart, with their same message ids.
                    logger.LogWarning(ex, "Destination {DestinationId} partition {Partition} could not clear {Count} sent payloads", _destinationId, _partition, settled.Count);
                }
            }
            for (var i = 0; i < settled.Count; i++) _queue.Dequeue();
            Tally(settled);

            if (settled.Count < outcomes.Count || outcomes.Count == 0)
            {
                var noAnswer = outcomes.Count > settled.Count ? outcomes[settled.Count] : SendOutcome.NoAnswer(batch[0].MessageId, "no outcome");
                _retries++;
                RememberFailure(noAnswer.MessageId, $"no answer, retrying in {retryDelay.TotalSeconds:0.##} s: {noAnswer.FailureReason}");
                await Task.Delay(retryDelay);
                retryDelay = TimeSpan.FromTicks(Math.Min(LongestRetryDelay.Ticks, retryDelay.Ticks * 2));
            }
            else
            {
                retryDelay = FirstRetryDelay;
            }
        }
    }

    private void Tally(IReadOnlyList<SendOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Delivered)
            {
                _delivered++;
                continue;
            }
            _failed++;
            RememberFailure(outcome.MessageId, outcome.FailureReason ?? "unknown");
        }
    }

    private void RememberFailure(string messageId, string reason)
    {
        _lastFailures.Enqueue(new DeliveryFailure(messageId, DateTimeOffset.UtcNow, reason));
        if (_lastFailures.Count > FailuresKept) _lastFailures.Dequeue();
    }
}
