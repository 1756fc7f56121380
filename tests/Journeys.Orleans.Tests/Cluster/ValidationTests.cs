using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>Bad input gets an error naming the field and the reason, and changes nothing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ValidationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_empty_step_name_is_refused_and_adds_no_step()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition { Name = "J", EntryCondition = Condition.Performed("A") }, spaceId);

        var error = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = " ", Kind = StepKind.SendToDestinations }));

        Assert.Equal("name", error.Field);
        Assert.Contains("empty", error.Reason);
        Assert.Empty((await fixture.Journeys.GetJourneyAsync(journey.Id)).Steps);
    }

    [Fact]
    public async Task Connecting_an_unknown_destination_is_refused_and_connects_nothing()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var otherSpace = await fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Elsewhere", Kind = DestinationKind.List }, TestSpace.New());

        var unknown = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, "dst_doesnotexist0000"));
        var foreign = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, otherSpace.Id));

        Assert.Equal("destinationId", unknown.Field);
        Assert.Contains("unknown destination", unknown.Reason);
        Assert.Equal("destinationId", foreign.Field);
        Assert.Empty((await fixture.Journeys.GetStepAsync(scenario.OpenedEmail.Id)).Connections);
    }

    [Fact]
    public async Task Only_send_steps_connect_to_destinations()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync();
        var conditionStep = (await fixture.Journeys.GetJourneyAsync(scenario.Journey.Id)).Steps[0];

        var error = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.ConnectAsync(conditionStep.Id, list.Id));

        Assert.Equal("stepId", error.Field);
        Assert.Empty((await fixture.Journeys.GetStepAsync(conditionStep.Id)).Connections);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("127.0.0.1:8080/hook")]
    [InlineData("")]
    public async Task A_webhook_url_that_is_not_http_or_https_is_refused_and_creates_nothing(string url)
    {
        var spaceId = TestSpace.New();

        var error = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Hook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = url }, spaceId));

        Assert.Equal("webhookUrl", error.Field);
        Assert.Empty(await fixture.Journeys.ListDestinationsAsync(spaceId));
    }

    [Fact]
    public async Task An_event_without_userId_and_anonymousId_is_refused_and_moves_nobody()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();

        var viaClient = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, Event = FirstPurchase.OrderCompleted }));
        var blank = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, UserId = "", AnonymousId = "  ", Event = FirstPurchase.OrderCompleted }));
        // Straight to a user grain, past the client library: the grain checks too.
        var grain = fixture.Grains.GetGrain<IUserGrain>(GrainKeys.User(scenario.SpaceId, "u:someone"));
        var viaGrain = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            grain.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, Event = FirstPurchase.OrderCompleted }));

        Assert.Equal("userId", viaClient.Field);
        Assert.Contains("anonymousId", viaClient.Reason);
        Assert.Equal("userId", blank.Field);
        Assert.Equal("userId", viaGrain.Field);
        Assert.Empty((await grain.GetAsync()).Journeys);
    }

    [Fact]
    public async Task An_event_without_a_name_is_refused()
    {
        var error = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.TrackAsync(new TrackEvent { UserId = "u_1", Event = "" }));

        Assert.Equal("event", error.Field);
    }

    [Fact]
    public async Task Publishing_a_journey_with_no_steps_is_refused_and_leaves_it_a_draft()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition { Name = "Empty", EntryCondition = Condition.Performed("A") }, spaceId);

        var error = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.PublishAsync(journey.Id));

        Assert.Equal("steps", error.Field);
        Assert.Equal(JourneyStatus.Draft, (await fixture.Journeys.GetJourneyAsync(journey.Id)).Status);
    }

    [Fact]
    public async Task A_published_journey_takes_no_new_steps()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();

        var error = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.AddStepAsync(scenario.Journey.Id, new StepDefinition { Name = "Late", Kind = StepKind.SendToDestinations }));

        Assert.Equal("journeyId", error.Field);
        Assert.Equal(4, (await fixture.Journeys.GetJourneyAsync(scenario.Journey.Id)).Steps.Count);
    }

    [Fact]
    public async Task Bad_ids_and_space_ids_are_refused_by_the_client()
    {
        Assert.Equal("journeyId", (await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.GetJourneyAsync(""))).Field);
        Assert.Equal("stepId", (await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.GetStepAsync("jny_x"))).Field);
        Assert.Equal("spaceId", (await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.ListJourneysAsync("Default Space"))).Field);
        await Assert.ThrowsAsync<JourneysNotFoundException>(() => fixture.Journeys.GetJourneyAsync("jny_doesnotexist0000"));
    }
}
