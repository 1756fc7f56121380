using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SecretsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Header_values_signing_secrets_and_write_keys_never_reach_the_logs_or_the_api()
    {
        const string header = "Bearer header-secret-3f9a7c";
        const string signing = "signing-secret-5e1d2b4a";
        const string writeKey = "wk_collector-secret-77aa";
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 400;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await fixture.Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Secret webhook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = receiver.Url,
            Headers = new Dictionary<string, string> { ["Authorization"] = header }, SigningSecret = signing,
        }, scenario.SpaceId);
        var segment = await fixture.Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Secret collector", Kind = DestinationKind.Event, Connector = ConnectorKind.Segment,
            SegmentHost = $"http://127.0.0.1:{SiloProcess.FreePort()}", SegmentWriteKey = writeKey,
        }, scenario.SpaceId);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, segment.Id);
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("secretive");
        await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 2);
        await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(segment.Id), s => s.Retries >= 1);
        var api = System.Text.Json.JsonSerializer.Serialize(new object[]
        {
            await fixture.Journeys.ListDestinationsAsync(scenario.SpaceId),
            await fixture.Journeys.GetDeliveryStatsAsync(webhook.Id),
            await fixture.Journeys.GetDeadLettersAsync(webhook.Id),
            await fixture.Journeys.GetStepAsync(scenario.OpenedEmail.Id),
        });
        var logs = string.Join("\n", CapturedLogs.Lines);

        Assert.Contains(webhook.Id, logs);
        Assert.Contains(segment.Id, logs);
        foreach (var secret in new[] { header, signing, writeKey })
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, api);
        }
    }

    [Fact]
    public async Task Credentials_and_tokens_in_destination_urls_are_masked_in_answers_and_logs()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 400;
        var collectorPort = SiloProcess.FreePort();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync(receiver.Url.Replace("http://", "http://alice:PASSWORD-9c1e@") + "?token=SECRET-7d2a&v=1");
        var segment = await fixture.Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Collector with credentials", Kind = DestinationKind.Event, Connector = ConnectorKind.Segment,
            SegmentHost = $"http://bob:SEGPASS-4e8b@127.0.0.1:{collectorPort}/?key=SEGTOKEN-5f3c", SegmentWriteKey = "wk_masked",
        }, scenario.SpaceId);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, segment.Id);
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("masked");
        await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1);
        await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(segment.Id), s => s.Retries >= 1);
        var shown = await fixture.Journeys.GetDestinationAsync(webhook.Id);
        var api = System.Text.Json.JsonSerializer.Serialize(new object[]
        {
            webhook, segment, shown,
            await fixture.Journeys.ListDestinationsAsync(scenario.SpaceId),
            await fixture.Journeys.GetDeliveryStatsAsync(webhook.Id),
            await fixture.Journeys.GetDeliveryStatsAsync(segment.Id),
            await fixture.Journeys.GetDeadLettersAsync(webhook.Id),
        });
        var logs = string.Join("\n", CapturedLogs.Lines);

        // The credentials still reach the receiver, as basic auth.
        var received = Assert.Single(receiver.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String("alice:PASSWORD-9c1e"u8.ToArray()), received.Headers["Authorization"]);
        Assert.Equal(receiver.Url.Replace("http://", "http://alice:***@") + "?token=***&v=***", shown.WebhookUrl);
        Assert.Equal($"http://bob:***@127.0.0.1:{collectorPort}/?key=***", (await fixture.Journeys.GetDestinationAsync(segment.Id)).SegmentHost);
        foreach (var secret in new[] { "PASSWORD-9c1e", "SECRET-7d2a", "SEGPASS-4e8b", "SEGTOKEN-5f3c" })
        {
            Assert.DoesNotContain(secret, logs);
            Assert.DoesNotContain(secret, api);
        }
    }
}
