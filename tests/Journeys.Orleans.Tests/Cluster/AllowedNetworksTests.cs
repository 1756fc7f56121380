using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>With <c>Journeys:AllowedNetworks</c> naming loopback (as the tests' silos do), receivers there are reached.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AllowedNetworksTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_name_that_resolves_to_an_allowed_network_is_delivered_to()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync(receiver.Url.Replace("127.0.0.1", "localhost"));
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("allowed");
        var stats = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Delivered == 1);

        Assert.Equal(1, stats.Delivered);
        Assert.Single(receiver.Requests);
    }
}
