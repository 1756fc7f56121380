namespace Journeys.Orleans.Domain;

/// <summary>What to do with a payload after one attempt to send it.</summary>
public enum AttemptVerdict
{
    /// <summary>The receiver took it.</summary>
    Delivered = 0,

    /// <summary>No answer, or an answer that says "later": send it again after a delay.</summary>
    Retry = 1,

    /// <summary>The receiver refused it for good: keep it as failed (dead-letter) with the answer.</summary>
    DeadLetter = 2,
}

/// <summary>
/// Segment's delivery rules: retry timeouts, connection failures, HTTP 408, 423, 429 and 5xx except 501, with
/// jittered exponential backoff, honouring <c>Retry-After</c>, for up to a maximum time (4 hours by default); any
/// other answer outside 2xx is final.
/// </summary>
public sealed class DeliveryPolicy(TimeSpan firstDelay, TimeSpan longestDelay, TimeSpan maxRetryDuration)
{
    /// <summary>1 second first, doubling to at most 10 minutes, giving up after 4 hours.</summary>
    public static DeliveryPolicy Segment { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(4));

    public TimeSpan MaxRetryDuration { get; } = maxRetryDuration;

    /// <summary>The verdict for an HTTP status code, or for no answer at all (<paramref name="status"/> null).</summary>
    public static AttemptVerdict Classify(int? status) => status switch
    {
        null => AttemptVerdict.Retry,
        >= 200 and < 300 => AttemptVerdict.Delivered,
        408 or 423 or 429 => AttemptVerdict.Retry,
        501 => AttemptVerdict.DeadLetter,
        >= 500 and < 600 => AttemptVerdict.Retry,
        _ => AttemptVerdict.DeadLetter,
    };

    /// <summary>
    /// The wait before attempt <paramref name="attempt"/> + 1 (attempts count from 1): what <c>Retry-After</c> asked
    /// for when given (up to the longest delay), else exponential backoff with jitter in [half, full].
    /// </summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter, Random random)
    {
        if (retryAfter is { } asked) return asked < TimeSpan.Zero ? TimeSpan.Zero : (asked > longestDelay ? longestDelay : asked);
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var full = Math.Min(longestDelay.TotalMilliseconds, firstDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(full * (0.5 + random.NextDouble() * 0.5));
    }

    /// <summary>True when a payload first tried at <paramref name="firstAttemptAt"/> has been retried long enough.</summary>
    public bool GivesUp(DateTimeOffset firstAttemptAt, DateTimeOffset now) => now - firstAttemptAt >= MaxRetryDuration;
}
