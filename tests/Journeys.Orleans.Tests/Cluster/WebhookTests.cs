using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>The webhook connector against a real HTTP server on 127.0.0.1.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_webhook_receives_the_seed_payloads_as_json_posts_with_its_headers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync(receiver.Url, new Dictionary<string, string> { ["X-Api-Key"] = "s3cret-value" });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id);
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_web");
        await scenario.MoveOnAsync("u_web");
        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n >= 4);

        var requests = receiver.Requests.ToList();
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.StartsWith("application/json", r.ContentType));
        Assert.All(requests, r => Assert.Equal("s3cret-value", r.Headers["X-Api-Key"]));
        var bodies = requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var key = scenario.OpenedEmail.Key;
        Assert.Equal(
            [$"track:{{\"{key}\":\"true\"}}", $"identify:{{\"{key}\":\"true\"}}", $"track:{{\"{key}\":\"false\"}}", $"identify:{{\"{key}\":\"false\"}}"],
            bodies.Select(b => b.GetProperty("type").GetString() + ":" + b.GetProperty(b.GetProperty("type").GetString() == "track" ? "properties" : "traits").GetRawText()));
        var stats = await fixture.Journeys.GetDeliveryStatsAsync(webhook.Id);
        Assert.Equal(4, stats.Delivered);
        Assert.Equal(0, stats.Failed);
    }

    [Fact]
    public async Task Header_values_are_never_returned()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync("https://127.0.0.1:9/hook", new Dictionary<string, string> { ["Authorization"] = "Bearer top-secret" });

        var listed = await fixture.Journeys.ListDestinationsAsync(scenario.SpaceId);

        Assert.Equal(["Authorization"], webhook.HeaderNames);
        Assert.DoesNotContain("top-secret", JsonSerializer.Serialize(listed));
        Assert.DoesNotContain("top-secret", JsonSerializer.Serialize(webhook));
    }

    [Fact]
    public async Task A_refusing_receiver_is_counted_and_shown_not_silently_dropped()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 400;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);

        await scenario.EnterOpenedEmailAsync("u_fail");
        var stats = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Failed >= 1);

        Assert.Equal(1, stats.Received);
        Assert.Equal(0, stats.Delivered);
        Assert.Equal(1, stats.Failed);
        var failure = Assert.Single(stats.LastFailures);
        Assert.StartsWith("HTTP 400", failure.Reason);
        Assert.Matches("^jrn_", failure.MessageId);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_is_retried_until_it_does()
    {
        var port = SiloProcess.FreePort();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync($"http://127.0.0.1:{port}/hook");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_refused");
        var waiting = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Retries >= 2);
        await using var receiver = await WebhookReceiver.StartAsync(port);
        var delivered = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Delivered == 1);

        Assert.Equal(1, waiting.Pending);
        Assert.Equal(0, waiting.Failed);
        Assert.Contains("HttpRequestException", waiting.LastFailures[^1].Reason);
        Assert.Contains("retry", waiting.LastFailures[^1].Reason);
        Assert.Equal(0, delivered.Pending);
        Assert.Equal(0, delivered.Failed);
        Assert.Single(receiver.Requests);
    }
}
