using Journeys.Orleans.Delivery;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Two replays at once never take the same dead letter; a partition keeps its latest failures only.</summary>
public sealed class DeadLetterShelfTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static (OutgoingPayload, DeadLetter) Letter(string id) =>
        (new OutgoingPayload(id, CallType.Track, "u:a", "{}"), new DeadLetter(id, "u:a", 400, "refused", null, 1, Now));

    [Fact]
    public void A_letter_claimed_by_one_replay_is_left_out_of_another_until_it_is_unclaimed()
    {
        var shelf = new DeadLetterShelf();
        shelf.AddRange([Letter("m-1"), Letter("m-2"), Letter("m-3")]);

        var first = shelf.Claim(["m-1", "m-2"]);
        var second = shelf.Claim(null);
        shelf.Unclaim(first);
        var third = shelf.Claim(["m-1"]);

        Assert.Equal(["m-1", "m-2"], first.Select(l => l.Letter.MessageId));
        Assert.Equal(["m-3"], second.Select(l => l.Letter.MessageId));
        Assert.Equal(["m-1"], third.Select(l => l.Letter.MessageId));
        Assert.Equal(3, shelf.Count);
    }

    [Fact]
    public void Only_the_latest_twenty_failures_are_kept_oldest_first()
    {
        var shelf = new DeadLetterShelf();
        for (var i = 0; i < 25; i++) shelf.RememberFailure($"m-{i}", Now.AddSeconds(i), "timeout");

        Assert.Equal(20, shelf.LastFailures.Count);
        Assert.Equal("m-5", shelf.LastFailures[0].MessageId);
        Assert.Equal("m-24", shelf.LastFailures[^1].MessageId);
    }
}
