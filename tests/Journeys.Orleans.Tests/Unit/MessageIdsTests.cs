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
