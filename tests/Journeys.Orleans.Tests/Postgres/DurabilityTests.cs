using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class DurabilityTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Everything_survives_stopping_every_silo_and_starting_new_ones()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var serviceId = "durable-" + Guid.NewGuid().ToString("N")[..8];
        FirstPurchase scenario;
        DestinationInfo list, webhook;

        await using (var before = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId))
        {
            scenario = await FirstPurchase.CreateAsync(before.Journeys);
            list = await scenario.AddListAsync();
            webhook = await scenario.AddWebhookAsync(receiver.Url, new Dictionary<string, string> { ["X-Key"] = "k" });
            await before.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
            await before.Journeys.ConnectAsync(scenario.RepeatBuyers.Id, list.Id);
            await before.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
            await scenario.PublishAsync();

            await scenario.EnterOpenedEmailAsync("ada");
            await scenario.EnterOpenedEmailAsync("bob");
            await scenario.MoveOnAsync("bob");
            await scenario.TrackAsync("cy", FirstPurchase.OrderCompleted);
            await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n >= 3);
            await before.StopAsync();
        }

        await using var after = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId);
        var journeys = after.Journeys;
        var restarted = new FirstPurchaseView(journeys, scenario.SpaceId);

        var journey = await journeys.GetJourneyAsync(scenario.Journey.Id);
        Assert.Equal(JourneyStatus.Published, journey.Status);
        Assert.Equal(scenario.OpenedEmail.Key, journey.Steps[1].Key);
        Assert.Equal([list.Id, webhook.Id], journey.Steps[1].Connections.Select(c => c.DestinationId));
        var destinations = await journeys.ListDestinationsAsync(scenario.SpaceId);
        Assert.Equal([Describe(list), Describe(webhook)], destinations.Select(Describe));

        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single((await journeys.GetUserAsync("ada", spaceId: scenario.SpaceId)).Memberships).StepId);
        Assert.Equal(scenario.RepeatBuyers.Id, Assert.Single((await journeys.GetUserAsync("bob", spaceId: scenario.SpaceId)).Memberships).StepId);
        var cy = await journeys.GetUserAsync("cy", spaceId: scenario.SpaceId);
        Assert.Empty(cy.Memberships);
        Assert.Equal(journey.Steps[0].Id, Assert.Single(cy.Journeys).StepId);
        Assert.Equal(["ada"], await restarted.MemberIdsAsync(list.Id, scenario.OpenedEmail.Id));
        Assert.Equal(["bob"], await restarted.MemberIdsAsync(list.Id, scenario.RepeatBuyers.Id));

        // And the journey goes on where it stopped: cy's email open and ada's second order.
        await journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, UserId = "cy", Event = FirstPurchase.EmailOpened });
        await journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, UserId = "ada", Event = FirstPurchase.OrderCompleted });
        Assert.Equal(["cy"], await restarted.MemberIdsAsync(list.Id, scenario.OpenedEmail.Id));
        Assert.Equal(["ada", "bob"], await restarted.MemberIdsAsync(list.Id, scenario.RepeatBuyers.Id));
        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n >= 5);
        var adaExit = scenario.ExpectedMessageId("ada", TransitionDirection.Exited, webhook.Id);
        Assert.Contains(adaExit, receiver.MessageIds);
        Assert.All(receiver.Requests, r => Assert.Equal("k", r.Headers["X-Key"]));
    }

    private static string Describe(DestinationInfo d) =>
        $"{d.Id} {d.SpaceId} {d.Name} {d.Kind} {d.Connector} {d.WebhookUrl} [{string.Join(",", d.HeaderNames)}] {d.Partitions}";

    private sealed record FirstPurchaseView(Journeys.Orleans.Client.IJourneysClient Journeys, string SpaceId)
    {
        public async Task<List<string>> MemberIdsAsync(string destinationId, string stepId)
        {
            var page = await Journeys.GetMembersAsync(destinationId, stepId, pageSize: 1000);
            return page.Members.Select(m => m.UserId!).Order().ToList();
        }
    }
}
