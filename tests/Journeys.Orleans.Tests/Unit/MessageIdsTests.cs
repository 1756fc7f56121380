using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

public sealed class MessageIdsTests
{
    private static readonly Transition Transition = new()
    {
        SpaceId = "spa_default", JourneyId = "jny_1", StepId = "stp_1", StepKey = "j_o_a__b_abcdef",
        UserKey = "u:u_1", UserId = "u_1", Direction = TransitionDirection.Entered, Epoch = 1, Sequence = 7,
        OccurredAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void The_same_transition_to_the_same_destination_always_has_the_same_id()
    {
        var again = Transition with { Sequence = 99, OccurredAt = DateTimeOffset.UtcNow };

        Assert.Equal(MessageIds.For(Transition, "dst_1", CallType.Track), MessageIds.For(again, "dst_1", CallType.Track));
        Assert.Matches("^jrn_[0-9a-f]{32}$", MessageIds.For(Transition, "dst_1", CallType.Track));
    }

    /// <summary>
    /// Ids never change across versions: after an upgrade, a payload sent again must carry the id its receiver
    /// already saw. The vectors are SHA-256 over the newline-joined identity, computed outside .NET; the long key
    /// takes the pooled-buffer path.
    /// </summary>
    [Fact]
    public void Ids_are_the_same_as_every_earlier_version_made_them()
    {
        Assert.Equal("jrn_d130fb8d5b6578a04541c8478c0964c7", MessageIds.For(Transition, "dst_1", CallType.Track));
        Assert.Equal("jrn_f6c8947d7f99691fcddb3cd8019f8430", MessageIds.For(Transition with { UserKey = "u:" + new string('é', 300) }, "dst_1", CallType.Track));
    }

    [Fact]
    public void Epoch_direction_destination_call_type_and_user_each_change_the_id()
    {
        var baseline = MessageIds.For(Transition, "dst_1", CallType.Track);
        var variants = new[]
        {
            MessageIds.For(Transition with { Epoch = 2 }, "dst_1", CallType.Track),
            MessageIds.For(Transition with { Direction = TransitionDirection.Exited }, "dst_1", CallType.Track),
            MessageIds.For(Transition, "dst_2", CallType.Track),
            MessageIds.For(Transition, "dst_1", CallType.Identify),
            MessageIds.For(Transition with { UserKey = "u:u_2" }, "dst_1", CallType.Track),
            MessageIds.For(Transition with { StepId = "stp_2" }, "dst_1", CallType.Track),
        };

        Assert.DoesNotContain(baseline, variants);
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }
}
