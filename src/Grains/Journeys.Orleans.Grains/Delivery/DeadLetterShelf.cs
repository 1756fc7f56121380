using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Delivery;

/// <summary>
/// An event destination partition's dead letters, the letters a replay is working on, and its last failures. Pure:
/// its grain writes the letters to the outbox and keeps them here.
/// </summary>
public sealed class DeadLetterShelf
{
    private const int FailuresKept = 20;

    private readonly List<(OutgoingPayload Payload, DeadLetter Letter)> _letters = [];
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);
    private readonly Queue<DeliveryFailure> _lastFailures = new();

    public int Count => _letters.Count;

    public IReadOnlyList<DeadLetter> Letters => _letters.Select(d => d.Letter).ToList();

    /// <summary>The latest failures, oldest first, at most <see cref="FailuresKept"/>.</summary>
    public IReadOnlyList<DeliveryFailure> LastFailures => _lastFailures.ToList();

    public void Add(OutgoingPayload payload, DeadLetter letter) => _letters.Add((payload, letter));

    public void AddRange(IEnumerable<(OutgoingPayload Payload, DeadLetter Letter)> letters) => _letters.AddRange(letters);

    public void Remove((OutgoingPayload Payload, DeadLetter Letter) letter) => _letters.Remove(letter);

    /// <summary>
    /// The letters of <paramref name="messageIds"/> (all when null) for one replay. Letters another replay is working
    /// on are left to it, so two replays at once never send one twice; <see cref="Unclaim"/> when done.
    /// </summary>
    public IReadOnlyList<(OutgoingPayload Payload, DeadLetter Letter)> Claim(IReadOnlyList<string>? messageIds)
    {
        var wanted = messageIds?.ToHashSet(StringComparer.Ordinal);
        var chosen = _letters.Where(d => (wanted is null || wanted.Contains(d.Letter.MessageId)) && !_claimed.Contains(d.Letter.MessageId)).ToList();
        foreach (var letter in chosen) _claimed.Add(letter.Letter.MessageId);
        return chosen;
    }

    public void Unclaim(IEnumerable<(OutgoingPayload Payload, DeadLetter Letter)> letters)
    {
        foreach (var letter in letters) _claimed.Remove(letter.Letter.MessageId);
    }

    /// <summary>The dead letter of <paramref name="messageId"/>, if it is one.</summary>
    public DeadLetter? Find(string messageId) => _letters.FirstOrDefault(d => d.Letter.MessageId == messageId).Letter;

    /// <summary>The latest kept failure of <paramref name="messageId"/>, if any.</summary>
    public DeliveryFailure? LastFailureOf(string messageId) => _lastFailures.LastOrDefault(f => f.MessageId == messageId);

    public void RememberFailure(string messageId, DateTimeOffset at, string reason)
    {
        _lastFailures.Enqueue(new DeliveryFailure(messageId, at, reason));
        if (_lastFailures.Count > FailuresKept) _lastFailures.Dequeue();
    }
}
