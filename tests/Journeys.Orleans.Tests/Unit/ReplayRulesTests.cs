using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Unit;

public sealed class ReplayRulesTests
{
    private static readonly Transition Entered = SeedTransitions.Entered;

    private static readonly Transition Exited = SeedTransitions.Exited;

    private static OutgoingPayload Build(Transition transition, CallType callType, ConnectionSettings? settings = null) =>
        SegmentPayloadBuilder.BuildOne(transition, new ConnectionInfo
        {
            DestinationId = "dst_1", DestinationName = "Hook", DestinationKind = DestinationKind.Event, DestinationPartitions = 1,
            Settings = settings ?? ConnectionSettings.Default,
        }, callType);

    public static TheoryData<CallType, bool, string, string> Shapes => new()
    {
        { CallType.Track, false, "Audience Entered", "Audience Exited" },
        { CallType.Track, true, "Became VIP", "Lost VIP" },
        { CallType.Identify, false, "Audience Entered", "Audience Exited" },
        { CallType.Identify, true, "Audience Entered", "Audience Exited" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_payload_says_which_user_step_and_direction_whatever_the_connection_calls_its_events(
        CallType callType, bool booleans, string enteredName, string exitedName)
    {
        var settings = new ConnectionSettings { BooleanValues = booleans, EnteredEventName = enteredName, ExitedEventName = exitedName };

        var entered = MembershipClaim.Read(Build(Entered, callType, settings));
        var exited = MembershipClaim.Read(Build(Exited, callType, settings));

        Assert.Equal(new MembershipClaim("spa_default", "u:u_123", "jny_1", "stp_1", true), entered);
        Assert.Equal(new MembershipClaim("spa_default", "u:u_123", "jny_1", "stp_1", false), exited);
    }

    [Fact]
    public void A_payload_that_is_not_a_membership_call_claims_nothing()
    {
        Assert.Null(MembershipClaim.Read(new OutgoingPayload("m1", CallType.Track, "u:x", "{\"type\":\"track\",\"event\":\"Other\"}")));
        Assert.Null(MembershipClaim.Read(new OutgoingPayload("m2", CallType.Track, "u:x", "not json")));
    }

    [Fact]
    public void A_dead_letter_is_superseded_when_the_current_membership_or_a_waiting_payload_says_the_opposite()
    {
        var entered = MembershipClaim.Read(Build(Entered, CallType.Track))!;
        var exited = MembershipClaim.Read(Build(Exited, CallType.Track))!;
        var member = new HashSet<string> { "jny_1:stp_1" };
        var none = new HashSet<string>();
        var otherStep = entered with { StepId = "stp_2", Entered = false };

        Assert.False(ReplayRules.IsSuperseded(entered, member, []));
        Assert.True(ReplayRules.IsSuperseded(entered, none, []));
        Assert.False(ReplayRules.IsSuperseded(exited, none, []));
        Assert.True(ReplayRules.IsSuperseded(exited, member, []));
        // The user left after being asked: their exit waits in the line, and a replayed entry would follow it.
        Assert.True(ReplayRules.IsSuperseded(entered, member, [exited]));
        Assert.False(ReplayRules.IsSuperseded(entered, member, [exited, entered]));
        Assert.False(ReplayRules.IsSuperseded(entered, member, [otherStep]));
    }
}
