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

        foreach (var user in users) await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = user, Event = "Signed Up" });
        fixture.Clock.Advance(TimeSpan.FromHours(23));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var early = await fixture.Journeys.GetUserAsync(users[0], spaceId: spaceId);
        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var moved = await Task.WhenAll(users.Select(user => Eventually.Until(
            () => fixture.Journeys.GetUserAsync(user, spaceId: spaceId), u => u.Memberships.Count == 1, TimeSpan.FromSeconds(20))));

        Assert.Empty(early.Memberships);
        Assert.All(moved, u => Assert.Equal(send.Id, Assert.Single(u.Memberships).StepId));
        Assert.All(moved, u => Assert.Equal(fixture.Clock.GetUtcNow().Date, u.Memberships[0].Since.UtcDateTime.Date));
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
