using Journeys.Orleans.Connectors;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// One partition of an event destination. Turns transitions into Segment payloads and keeps them in the outbox
/// (durable when a database is configured) before acknowledging. Sends them through the destination's connector
/// under Segment's rules (<see cref="DeliveryPolicy"/>): per user in order, a retrying payload holding back only its
/// own user's later ones; retries on a schedule kept with the outbox; refusals kept as dead letters until replayed.
/// While it holds unsent payloads it keeps a reminder, so that after a crash or restart it comes back by itself.
/// Reentrant: all state changes happen between awaits.
/// </summary>
[GrainType("eventdelivery")]
[Reentrant]
public sealed class EventDeliveryGrain(
    IEnumerable<IEventConnector> connectors,
    EventOutboxStorage outboxStorage,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<EventDeliveryGrain> logger)
    : Grain, IEventDeliveryGrain, IRemindable
{
    private const string DrainReminder = "drain";
    private const int BatchSize = 100;
    private const int FailuresKept = 20;

    // Per user, in order; a user's head is the only one of theirs that may be sent.
    private readonly Dictionary<string, Queue<Pending>> _byUser = new(StringComparer.Ordinal);
    private readonly List<(OutgoingPayload Payload, DeadLetter Letter)> _deadLetters = [];
    private readonly Queue<DeliveryFailure> _lastFailures = new();
    private DestinationDefinition _destination = new();
    private DeliveryPolicy _policy = DeliveryPolicy.Segment;
    private IEventConnector _connector = null!;
    private string _destinationId = "";
    private int _partition;
    private bool _paused;
    private bool _reminderRegistered;
    private Task _pump = Task.CompletedTask;
    private TaskCompletionSource _wake = NewWake();
    private int _pending;
    private long _received;
    private long _delivered;
    private long _retries;

    private IEventOutbox? Outbox => outboxStorage.Outbox;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        _destinationId = key[..slash];
        _partition = int.Parse(key[(slash + 2)..], System.Globalization.CultureInfo.InvariantCulture);
        var destination = GrainFactory.GetGrain<IDestinationGrain>(_destinationId);
        _destination = await destination.GetConfigurationAsync();
        var info = await destination.GetAsync();
        _paused = info.Paused;
        var settings = options.Value;
        _policy = new DeliveryPolicy(settings.RetryFirstDelay, settings.RetryLongestDelay, info.MaxRetryDuration);
        _connector = connectors.FirstOrDefault(c => c.Kind == _destination.Connector)
            ?? throw new InvalidOperationException($"No connector of kind {_destination.Connector} is registered.");

        if (Outbox is null) return;
        _deadLetters.AddRange(await Outbox.LoadDeadLettersAsync(_destinationId, _partition));
        var pending = await Outbox.LoadAsync(_destinationId, _partition);
        if (pending.Count == 0) return;
        foreach (var entry in pending)
            Enqueue(new Pending(entry.Payload) { Attempts = entry.Attempts, FirstAttemptAt = entry.FirstAttemptAt, NextAttemptAt = entry.NextAttemptAt });
        _reminderRegistered = true;
        logger.LogInformation("Destination {DestinationId} partition {Partition} resumes {Count} unsent payloads", _destinationId, _partition, pending.Count);
        StartPump();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Outbox is null)
        {
            if (_pending > 0)
                logger.LogWarning("Destination {DestinationId} partition {Partition} deactivated with {Count} payloads unsent", _destinationId, _partition, _pending);
            return;
        }

        // Unsent payloads stay in the outbox and the reminder brings the partition back for them.
        if (_pending == 0 && _reminderRegistered)
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
        foreach (var payload in payloads) Enqueue(new Pending(payload));
        _received += payloads.Count;
        StartPump();
    }

    public Task SetPausedAsync(bool paused)
    {
        _paused = paused;
        if (!paused) StartPump();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync() =>
        Task.FromResult<IReadOnlyList<DeadLetter>>(_deadLetters.Select(d => d.Letter).ToList());

    public async Task<int> ReplayAsync(IReadOnlyList<string>? messageIds)
    {
        var chosen = _deadLetters.Where(d => messageIds is null || messageIds.Contains(d.Letter.MessageId)).ToList();
        if (chosen.Count == 0) return 0;
        if (Outbox is not null)
        {
            await EnsureDrainReminderAsync();
            await Outbox.ReplayAsync(_destinationId, _partition, chosen.Select(d => d.Payload).ToList());
        }
        foreach (var letter in chosen)
        {
            _deadLetters.Remove(letter);
            Enqueue(new Pending(letter.Payload));
        }
        logger.LogInformation("Destination {DestinationId} partition {Partition} replays {Count} dead letters", _destinationId, _partition, chosen.Count);
        StartPump();
        return chosen.Count;
    }

    public Task<DeliveryStats> GetStatsAsync() => Task.FromResult(new DeliveryStats
    {
        Received = _received,
        Delivered = _delivered,
        Failed = _deadLetters.Count,
        Pending = _pending,
        PendingRetry = _byUser.Values.Sum(q => q.Count(p => p.Attempts > 0)),
        Retries = _retries,
        LastFailures = _lastFailures.ToList(),
    });

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        StartPump();
        return Task.CompletedTask;
    }

    private void Enqueue(Pending pending)
    {
        if (!_byUser.TryGetValue(pending.Payload.UserKey, out var queue))
            _byUser[pending.Payload.UserKey] = queue = new Queue<Pending>();
        queue.Enqueue(pending);
        _pending++;
    }

    private void StartPump()
    {
        _wake.TrySetResult();
        if (_pump.IsCompleted && _pending > 0 && !_paused) _pump = PumpAsync();
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
        while (_pending > 0 && !_paused)
        {
            var now = clock.GetUtcNow();
            var ready = _byUser.Values.Select(q => q.Peek()).Where(p => p.NextAttemptAt is null || p.NextAttemptAt <= now).Take(BatchSize).ToList();
            if (ready.Count == 0)
            {
                var next = _byUser.Values.Select(q => q.Peek().NextAttemptAt ?? now).Min();
                _wake = NewWake();
                await Task.WhenAny(Task.Delay(next - now), _wake.Task);
                continue;
            }

            IReadOnlyList<SendOutcome> outcomes;
            try
            {
                outcomes = await _connector.SendAsync(_destinationId, _destination, ready.Select(p => p.Payload).ToList(), CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Destination {DestinationId} connector {Connector} failed a batch of {Count}", _destinationId, _destination.Connector, ready.Count);
                outcomes = ready.Select(p => SendOutcome.NoAnswer(p.Payload.MessageId, $"{ex.GetType().Name}: {ex.Message}")).ToList();
            }

            var delivered = new List<string>();
            for (var i = 0; i < ready.Count; i++)
            {
                var pending = ready[i];
                var outcome = i < outcomes.Count ? outcomes[i] : SendOutcome.NoAnswer(pending.Payload.MessageId, "no outcome");
                switch (DeliveryPolicy.Classify(outcome.Status))
                {
                    case AttemptVerdict.Delivered:
                        Settle(pending);
                        delivered.Add(pending.Payload.MessageId);
                        _delivered++;
                        break;
                    case AttemptVerdict.Retry:
                        await RetryLaterAsync(pending, outcome, now);
                        break;
                    default:
                        await DeadLetterAsync(pending, outcome, outcome.Detail, now);
                        break;
                }
            }
            if (delivered.Count > 0 && Outbox is not null)
            {
                try
                {
                    await Outbox.RemoveAsync(_destinationId, delivered);
                }
                catch (Exception ex)
                {
                    // They stay in the outbox and are sent again after a restart, with their same message ids.
                    logger.LogWarning(ex, "Destination {DestinationId} partition {Partition} could not clear {Count} sent payloads", _destinationId, _partition, delivered.Count);
                }
            }
        }
    }

    private async Task RetryLaterAsync(Pending pending, SendOutcome outcome, DateTimeOffset now)
    {
        pending.Attempts++;
        pending.FirstAttemptAt ??= now;
        if (_policy.GivesUp(pending.FirstAttemptAt.Value, now))
        {
            await DeadLetterAsync(pending, outcome, $"gave up after retrying for {_policy.MaxRetryDuration}: {outcome.Detail}", now);
            return;
        }
        var delay = _policy.DelayAfter(pending.Attempts, outcome.RetryAfter, Random.Shared);
        pending.NextAttemptAt = now + delay;
        _retries++;
        RememberFailure(pending.Payload.MessageId, $"{outcome.Detail}; retry {pending.Attempts} in {delay.TotalSeconds:0.##} s");
        if (Outbox is null) return;
        try
        {
            await Outbox.RescheduleAsync(_destinationId, new OutboxEntry(pending.Payload, pending.Attempts, pending.FirstAttemptAt, pending.NextAttemptAt));
        }
        catch (Exception ex)
        {
            // After a restart it is simply tried again sooner.
            logger.LogWarning(ex, "Destination {DestinationId} could not record the retry schedule of {MessageId}", _destinationId, pending.Payload.MessageId);
        }
    }

    private async Task DeadLetterAsync(Pending pending, SendOutcome outcome, string reason, DateTimeOffset now)
    {
        var letter = new DeadLetter(pending.Payload.MessageId, pending.Payload.UserKey, outcome.Status, reason, outcome.Response, pending.Attempts + 1, now);
        if (Outbox is not null) await Outbox.DeadLetterAsync(_destinationId, _partition, pending.Payload, letter);
        Settle(pending);
        _deadLetters.Add((pending.Payload, letter));
        RememberFailure(pending.Payload.MessageId, reason);
        logger.LogWarning("Destination {DestinationId} dead-lettered {MessageId}: {Reason}", _destinationId, pending.Payload.MessageId, reason);
    }

    private void Settle(Pending pending)
    {
        var queue = _byUser[pending.Payload.UserKey];
        queue.Dequeue();
        if (queue.Count == 0) _byUser.Remove(pending.Payload.UserKey);
        _pending--;
    }

    private void RememberFailure(string messageId, string reason)
    {
        _lastFailures.Enqueue(new DeliveryFailure(messageId, clock.GetUtcNow(), reason));
        if (_lastFailures.Count > FailuresKept) _lastFailures.Dequeue();
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Pending(OutgoingPayload payload)
    {
        public OutgoingPayload Payload { get; } = payload;
        public int Attempts { get; set; }
        public DateTimeOffset? FirstAttemptAt { get; set; }
        public DateTimeOffset? NextAttemptAt { get; set; }
    }
}
