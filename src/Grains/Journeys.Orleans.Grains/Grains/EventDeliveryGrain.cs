using Journeys.Orleans.Connectors;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Grains;

/// <summary>
/// Turns transitions into Segment payloads and sends them through the destination's connector from an
/// in-memory queue, one batch at a time, so the caller never waits for the receiver and order is kept.
/// Reentrant: all state changes happen between awaits.
/// </summary>
[GrainType("eventdelivery")]
[Reentrant]
public sealed class EventDeliveryGrain(IEnumerable<IEventConnector> connectors, ILogger<EventDeliveryGrain> logger)
    : Grain, IEventDeliveryGrain
{
    private const int BatchSize = 100;
    private const int FailuresKept = 20;

    private readonly Queue<OutgoingPayload> _queue = new();
    private readonly Queue<DeliveryFailure> _lastFailures = new();
    private DestinationDefinition _destination = new();
    private IEventConnector _connector = null!;
    private string _destinationId = "";
    private Task _pump = Task.CompletedTask;
    private long _received;
    private long _delivered;
    private long _failed;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _destinationId = this.GetPrimaryKeyString().Split('/')[0];
        _destination = await GrainFactory.GetGrain<IDestinationGrain>(_destinationId).GetConfigurationAsync();
        _connector = connectors.FirstOrDefault(c => c.Kind == _destination.Connector)
            ?? throw new InvalidOperationException($"No connector of kind {_destination.Connector} is registered.");
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _pump.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Current);
        if (_queue.Count > 0)
            logger.LogWarning("Destination {DestinationId} partition deactivated with {Count} payloads unsent", _destinationId, _queue.Count);
    }

    public Task DeliverAsync(IReadOnlyList<TransitionDelivery> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            foreach (var payload in SegmentPayloadBuilder.Build(delivery.Transition, delivery.Connection))
            {
                _queue.Enqueue(payload);
                _received++;
            }
        }
        if (_pump.IsCompleted) _pump = PumpAsync();
        return Task.CompletedTask;
    }

    public Task<DeliveryStats> GetStatsAsync() => Task.FromResult(new DeliveryStats
    {
        Received = _received,
        Delivered = _delivered,
        Failed = _failed,
        Pending = _queue.Count,
        LastFailures = _lastFailures.ToList(),
    });

    private async Task PumpAsync()
    {
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
                outcomes = batch.Select(p => SendOutcome.Failure(p.MessageId, $"{ex.GetType().Name}: {ex.Message}")).ToList();
            }

            for (var i = 0; i < batch.Count; i++) _queue.Dequeue();
            foreach (var outcome in outcomes)
            {
                if (outcome.Delivered)
                {
                    _delivered++;
                    continue;
                }
                _failed++;
                _lastFailures.Enqueue(new DeliveryFailure(outcome.MessageId, DateTimeOffset.UtcNow, outcome.FailureReason ?? "unknown"));
                if (_lastFailures.Count > FailuresKept) _lastFailures.Dequeue();
            }
        }
    }
}
