using Journeys.Orleans.Domain;

namespace Journeys.Orleans.Tests.Unit;

public sealed class DeliveryPolicyTests
{
    [Theory]
    [InlineData(200, AttemptVerdict.Delivered)]
    [InlineData(204, AttemptVerdict.Delivered)]
    [InlineData(408, AttemptVerdict.Retry)]
    [InlineData(423, AttemptVerdict.Retry)]
    [InlineData(429, AttemptVerdict.Retry)]
    [InlineData(500, AttemptVerdict.Retry)]
    [InlineData(502, AttemptVerdict.Retry)]
    [InlineData(503, AttemptVerdict.Retry)]
    [InlineData(599, AttemptVerdict.Retry)]
    [InlineData(501, AttemptVerdict.DeadLetter)]
    [InlineData(400, AttemptVerdict.DeadLetter)]
    [InlineData(401, AttemptVerdict.DeadLetter)]
    [InlineData(404, AttemptVerdict.DeadLetter)]
    [InlineData(413, AttemptVerdict.DeadLetter)]
    [InlineData(302, AttemptVerdict.DeadLetter)]
    [InlineData(null, AttemptVerdict.Retry)]
    public void Segment_rules_decide_what_is_retried(int? status, AttemptVerdict expected) =>
        Assert.Equal(expected, DeliveryPolicy.Classify(status));

    [Fact]
    public void Backoff_doubles_with_jitter_up_to_the_longest_delay()
    {
        var policy = new DeliveryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromHours(4));
        var random = new Random(7);

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var full = Math.Min(60, Math.Pow(2, attempt - 1));
            var delays = Enumerable.Range(0, 200).Select(_ => policy.DelayAfter(attempt, null, random).TotalSeconds).ToList();
            Assert.All(delays, d => Assert.InRange(d, full / 2, full));
            Assert.True(delays.Max() - delays.Min() > full / 10, $"attempt {attempt} is jittered");
        }
    }

    [Fact]
    public void Retry_after_is_honoured_within_the_longest_delay()
    {
        var policy = new DeliveryPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(4));

        Assert.Equal(TimeSpan.FromSeconds(30), policy.DelayAfter(1, TimeSpan.FromSeconds(30), Random.Shared));
        Assert.Equal(TimeSpan.FromMinutes(10), policy.DelayAfter(1, TimeSpan.FromHours(2), Random.Shared));
        Assert.Equal(TimeSpan.Zero, policy.DelayAfter(3, TimeSpan.FromSeconds(-5), Random.Shared));
    }

    [Fact]
    public void It_gives_up_after_the_maximum_retry_duration()
    {
        var start = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

        Assert.False(DeliveryPolicy.Segment.GivesUp(start, start.AddHours(3.99)));
        Assert.True(DeliveryPolicy.Segment.GivesUp(start, start.AddHours(4)));
    }
}
