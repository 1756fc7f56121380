using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Domain;

/// <summary>A payload waiting in a destination partition, with its retry schedule.</summary>
public sealed class PendingPayload(OutgoingPayload payload)
{
    public OutgoingPayload Payload { get; } = payload;
    public int Attempts { get; set; }
    public DateTimeOffset? FirstAttemptAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
}

/// <summary>
/// The payloads of one destination partition, per user in the order accepted, and which users may send now. Users go
/// in parallel; one user's payloads go one at a time: a user is busy from the moment its head is taken until
/// <see cref="Release"/> — after the receiver answered and, when there is a durable outbox, after the sent payload was
/// forgotten there, so that a crash can never send an older payload again after a newer one. A busy user waiting for
/// a retry comes back by itself once its time has come. Payloads are known by message id: one accepted twice is kept
/// once, and one sent a moment ago is not taken again.
/// </summary>
public sealed class DeliveryQueue
{
    private const int RecentlySettledKept = 10_000;

    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private readonly Queue<string> _ready = new();
    private readonly PriorityQueue<string, DateTimeOffset> _retries = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recentlySettled = new(StringComparer.Ordinal);
    private readonly Queue<string> _settledOrder = new();

    /// <summary>Payloads kept, those being sent included.</summary>
    public int Count => _queued.Count;

    /// <summary>Every payload kept, per user in order.</summary>
    public IEnumerable<PendingPayload> All => _lines.Values.SelectMany(l => l.Items);

    /// <summary>One user's payloads kept (the one being sent included), in order.</summary>
    public IEnumerable<PendingPayload> Of(string userKey) =>
        _lines.TryGetValue(userKey, out var line) ? line.Items : [];

    /// <summary>When the oldest payload kept was accepted (those without that time left out); null when none is known.</summary>
    public DateTimeOffset? OldestAcceptedAt
    {
        get
        {
            DateTimeOffset? oldest = null;
            // Each user's line is in the order accepted, so its head is its oldest.
            foreach (var line in _lines.Values)
            {
                if (line.Items.TryPeek(out var head) && head.Payload.AcceptedAt is { } at && (oldest is null || at < oldest)) oldest = at;
            }
            return oldest;
        }
    }

    /// <summary>When the earliest waiting retry is due, if any user waits for one.</summary>
    public DateTimeOffset? NextRetryAt => _retries.TryPeek(out _, out var at) ? at : null;

    /// <summary>
    /// Keeps <paramref name="pending"/> behind its user's earlier payloads; false when it is already known. A
    /// <paramref name="replay"/> may bring back a payload that was settled (a dead letter).
    /// </summary>
    public bool Add(PendingPayload pending, bool replay = false)
    {
        var messageId = pending.Payload.MessageId;
        if (replay) _recentlySettled.Remove(messageId);
        if (_recentlySettled.Contains(messageId) || !_queued.Add(messageId)) return false;
        var userKey = pending.Payload.UserKey;
        if (!_lines.TryGetValue(userKey, out var line)) _lines[userKey] = line = new Line();
        line.Items.Enqueue(pending);
        if (!line.Busy)
        {
            line.Busy = true;
            if (pending.NextAttemptAt is { } at) _retries.Enqueue(userKey, at);
            else _ready.Enqueue(userKey);
        }
        return true;
    }

    /// <summary>The head of the next user that may send, marked busy; null when no user may send at <paramref name="now"/>.</summary>
    public PendingPayload? TakeReady(DateTimeOffset now)
    {
        while (_retries.TryPeek(out var waiting, out var at) && at <= now)
        {
            _retries.Dequeue();
            _ready.Enqueue(waiting);
        }
        return _ready.TryDequeue(out var userKey) ? _lines[userKey].Items.Peek() : null;
    }

    /// <summary>
    /// The user's head was delivered or dead-lettered: it leaves the queue, and the user stays busy until
    /// <see cref="Release"/>.
    /// </summary>
    public void Settle(PendingPayload pending)
    {
        var line = _lines[pending.Payload.UserKey];
        line.Items.Dequeue();
        var messageId = pending.Payload.MessageId;
        _queued.Remove(messageId);
        _recentlySettled.Add(messageId);
        _settledOrder.Enqueue(messageId);
        if (_settledOrder.Count > RecentlySettledKept) _recentlySettled.Remove(_settledOrder.Dequeue());
    }

    /// <summary>The user may send again: its next payload, if any, becomes ready.</summary>
    /// <summary>Whether <paramref name="messageId"/> was settled (delivered or dead-lettered) among the latest settled ones.</summary>
    public bool WasSettled(string messageId) => _recentlySettled.Contains(messageId);

    public void Release(string userKey)
    {
        if (!_lines.TryGetValue(userKey, out var line)) return;
        if (line.Items.Count > 0) _ready.Enqueue(userKey);
        else _lines.Remove(userKey);
    }

    /// <summary>The user's head is to be tried again at <paramref name="at"/>; the user stays busy until then.</summary>
    public void RetryAt(PendingPayload pending, DateTimeOffset at)
    {
        pending.NextAttemptAt = at;
        _retries.Enqueue(pending.Payload.UserKey, at);
    }

    private sealed class Line
    {
        public Queue<PendingPayload> Items { get; } = new();

        /// <summary>Being sent, waiting for a retry, waiting to be released, or already in the ready queue.</summary>
        public bool Busy { get; set; }
    }
}
