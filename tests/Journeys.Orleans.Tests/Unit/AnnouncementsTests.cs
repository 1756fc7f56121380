using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Users;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Each destination hears of a membership once, its entry before its exit, however late it was connected.</summary>
public sealed class AnnouncementsTests
{
    private static ConnectionInfo Event(string id) => new() { DestinationId = id, DestinationName = id, DestinationKind = DestinationKind.Event, DestinationPartitions = 1 };

    private static readonly ConnectionInfo Early = Event("dst_early");
    private static readonly ConnectionInfo Late = Event("dst_late");

    private static Transition Move(TransitionDirection direction) => new()
        { SpaceId = "spa_1", JourneyId = "jny_1", StepId = "stp_send", StepKey = "key", UserKey = "u:u1", UserId = "u1", Direction = direction, Epoch = 2 };

    private static (UserState State, PublishedCatalog Catalog) Member(bool isMember = true)
    {
        var step = new StepInfo { Id = "stp_send", JourneyId = "jny_1", Key = "key", Kind = StepKind.SendToDestinations, Connections = [Early, Late] };
        var state = new UserState { UserId = "u1" };
        state.Journeys["jny_1"] = new JourneyProgress
        {
            Steps = { ["stp_send"] = new StepMembership { StepKey = "key", Epoch = 2, IsMember = isMember, Since = DateTimeOffset.UnixEpoch, Told = ["dst_early"] } },
        };
        return (state, new PublishedCatalog { Journeys = [new JourneyInfo { Id = "jny_1", Steps = [step] }] });
    }

    [Fact]
    public void An_entry_goes_to_every_connection_and_an_exit_only_to_those_told()
    {
        var membership = new StepMembership();

        var entered = Announcements.Addressed(Move(TransitionDirection.Entered), membership, [Early]);
        var exited = Announcements.Addressed(Move(TransitionDirection.Exited), membership, [Early, Late]);
        var unknown = Announcements.Addressed(Move(TransitionDirection.Exited), new StepMembership(), [Early, Late]);

        Assert.Equal([Early], entered);
        Assert.Equal([Early], exited);
        Assert.Equal([Early, Late], unknown);
    }

    [Fact]
    public void A_destination_connected_later_is_told_once_with_the_entry_it_missed()
    {
        var (state, catalog) = Member();

        var first = Announcements.Announce(state, catalog, "spa_1", "u:u1", "jny_1", "stp_send", "dst_late");
        var again = Announcements.Announce(state, catalog, "spa_1", "u:u1", "jny_1", "stp_send", "dst_late");
        var early = Announcements.Announce(state, catalog, "spa_1", "u:u1", "jny_1", "stp_send", "dst_early");
        var exitAfter = Announcements.Addressed(Move(TransitionDirection.Exited), state.Journeys["jny_1"].Steps["stp_send"], [Early, Late]);

        Assert.NotNull(first);
        Assert.Equal(Late, first.Connection);
        Assert.Equal((TransitionDirection.Entered, 2, DateTimeOffset.UnixEpoch), (first.Transition.Direction, first.Transition.Epoch, first.Transition.OccurredAt));
        Assert.Equal(Domain.MessageIds.For(Move(TransitionDirection.Entered), "dst_late", Domain.CallType.Track),
            Domain.MessageIds.For(first.Transition, "dst_late", Domain.CallType.Track));
        Assert.Null(again);
        Assert.Null(early);
        Assert.Equal([Early, Late], exitAfter);
    }

    [Fact]
    public void Nobody_is_announced_who_left_the_step_or_to_a_destination_not_connected()
    {
        var (left, catalog) = Member(isMember: false);
        var (member, _) = Member();

        Assert.Null(Announcements.Announce(left, catalog, "spa_1", "u:u1", "jny_1", "stp_send", "dst_late"));
        Assert.Null(Announcements.Announce(member, catalog, "spa_1", "u:u1", "jny_1", "stp_send", "dst_other"));
        Assert.Null(Announcements.Announce(member, catalog, "spa_1", "u:u1", "jny_other", "stp_send", "dst_late"));
    }
}
