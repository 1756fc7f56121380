using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>Delays end at the right time, with a clock the test moves; nobody sends an event to wake the users.</summary>
[Collection(ClockCollection.Name)]
public sealed class DelayTests(ClockFixture fixture)
{
    [Fact]
    public async Task Users_waiting_on_a_delay_move_on_when_it_ends_and_not_before()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "Follow up", EntryCondition = Condition.Performed("Signed Up") }, spaceId);
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Wait a day", Kind = StepKind.Delay, Delay = TimeSpan.FromDays(1) });
        var send = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "A day later", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.PublishAsync(journey.Id);
        var users = Enumerable.Range(0, 20).Select(i => $"delayed-{i}").ToList();

        // A user who entered 1 h 1 min earlier shows when the wake-ups due by then have run, instead of a fixed sleep.
        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "delayed-earlier", Event = "Signed Up" });
        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        foreach (var user in users) await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = user, Event = "Signed Up" });
        fixture.Clock.Advance(TimeSpan.FromHours(23));
        var earlier = await Eventually.Until(
            () => fixture.Journeys.GetUserAsync("delayed-earlier", spaceId: spaceId), u => u.Memberships.Count == 1, TimeSpan.FromSeconds(20));
        // One more wake-up check period (1 s here), in which a user woken too early would show up at once.
        var early = await Eventually.Holds(
            () => fixture.Journeys.GetUserAsync(users[0], spaceId: spaceId), u => u.Memberships.Count == 0, TimeSpan.FromSeconds(1));
        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var moved = await Task.WhenAll(users.Select(user => Eventually.Until(
            () => fixture.Journeys.GetUserAsync(user, spaceId: spaceId), u => u.Memberships.Count == 1, TimeSpan.FromSeconds(20))));

        Assert.Equal(send.Id, Assert.Single(earlier.Memberships).StepId);
        Assert.Empty(early.Memberships);
        Assert.All(moved, u => Assert.Equal(send.Id, Assert.Single(u.Memberships).StepId));
        Assert.All(moved, u => Assert.Equal(fixture.Clock.GetUtcNow().Date, u.Memberships[0].Since.UtcDateTime.Date));
    }

    [Fact]
    public async Task A_condition_that_is_not_met_in_time_sends_users_down_its_timeout_branch_when_the_timeout_ends()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.ImportJourneyAsync(new JourneyDocument
        {
            Journey = new JourneyDefinition { Name = "Abandoned cart", EntryCondition = Condition.Performed("Cart Created") },
            Steps =
            [
                new StepDocument { Step = new StepDefinition { Name = "Wait for the order", Ref = "wait", Kind = StepKind.Condition,
                    Condition = Condition.Performed("Order Completed"), Next = "bought", Timeout = TimeSpan.FromDays(2), TimeoutNext = "nudge" } },
                new StepDocument { Step = new StepDefinition { Name = "Bought", Ref = "bought", Kind = StepKind.SendToDestinations, Next = StepRefs.End } },
                new StepDocument { Step = new StepDefinition { Name = "Nudge", Ref = "nudge", Kind = StepKind.SendToDestinations } },
            ],
        }, spaceId);
        await fixture.Journeys.PublishAsync(journey.Id);

        // A user idle since 3 minutes earlier shows when the timeouts due by then have run, instead of a fixed sleep.
        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "idle-earlier", Event = "Cart Created" });
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "buyer", Event = "Cart Created" });
        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "idle", Event = "Cart Created" });
        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "buyer", Event = "Order Completed" });
        fixture.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(2));
        var earlier = await Eventually.Until(
            () => fixture.Journeys.GetUserAsync("idle-earlier", spaceId: spaceId), u => u.Memberships.Count == 1, TimeSpan.FromSeconds(20));
        // One more wake-up check period (1 s here), in which a timeout ended too early would show up at once.
        var early = await Eventually.Holds(
            () => fixture.Journeys.GetUserAsync("idle", spaceId: spaceId), u => u.Memberships.Count == 0, TimeSpan.FromSeconds(1));
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        var idle = await Eventually.Until(
            () => fixture.Journeys.GetUserAsync("idle", spaceId: spaceId), u => u.Memberships.Count == 1, TimeSpan.FromSeconds(20));
        var buyer = await fixture.Journeys.GetUserAsync("buyer", spaceId: spaceId);

        Assert.Equal(journey.Steps[2].Id, Assert.Single(earlier.Memberships).StepId);
        Assert.Empty(early.Memberships);
        Assert.Equal(journey.Steps[0].Id, Assert.Single(early.Journeys).StepId);
        Assert.Equal(journey.Steps[2].Id, Assert.Single(idle.Memberships).StepId);
        Assert.Equal(journey.Steps[1].Id, Assert.Single(buyer.Memberships).StepId);
    }

    [Fact]
    public async Task Users_exit_the_set_time_after_entering_and_their_members_leave()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition
        {
            Name = "Trial", EntryCondition = Condition.Performed("Trial Started"), ExitAfter = TimeSpan.FromDays(14),
        }, spaceId);
        var send = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "In trial", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition
            { Name = "Wait to convert", Kind = StepKind.Condition, Condition = Condition.Performed("Converted") });
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Converted", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.PublishAsync(journey.Id);

        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "trialist", Event = "Trial Started" });
        var inTrial = await fixture.Journeys.GetUserAsync("trialist", spaceId: spaceId);
        fixture.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        var exited = await Eventually.Until(
            () => fixture.Journeys.GetUserAsync("trialist", spaceId: spaceId), u => u.Journeys.Single().Exited, TimeSpan.FromSeconds(20));

        Assert.Equal(send.Id, Assert.Single(inTrial.Memberships).StepId);
        Assert.Empty(exited.Memberships);
        Assert.Equal(
            [(send.Id, TransitionDirection.Entered), (send.Id, TransitionDirection.Exited)],
            exited.RecentTransitions.Where(t => t.StepKind == StepKind.SendToDestinations).Select(t => (t.StepId, t.Direction)));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(183 * 24 * 60)]
    public async Task A_delay_outside_a_minute_to_182_days_is_refused(double minutes)
    {
        var journey = await fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "Bad delay", EntryCondition = Condition.Performed("A") }, TestSpace.New());

        var error = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.AddStepAsync(journey.Id,
            new StepDefinition { Name = "Wait", Kind = StepKind.Delay, Delay = TimeSpan.FromMinutes(minutes) }));

        Assert.Equal("delay", error.Field);
        Assert.Empty((await fixture.Journeys.GetJourneyAsync(journey.Id)).Steps);
    }
}
