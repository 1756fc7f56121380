using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>A destination's counters are kept with its rows, so a restart shows what happened before it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryCountersTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Delivered_and_retries_survive_a_restart_and_received_is_never_below_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, index) => index < 3 ? 503 : 200;
        var serviceId = "counters-" + Guid.NewGuid().ToString("N")[..8];
        const int users = 12;
        DestinationInfo webhook;
        DeliveryStats before;

        await using (var first = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId))
        {
            var scenario = await FirstPurchase.CreateAsync(first.Journeys);
            webhook = await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
            for (var i = 0; i < users; i++) await scenario.EnterOpenedEmailAsync($"counted-{i}");
            before = await Eventually.Until(() => first.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Delivered == users && s.Pending == 0, TimeSpan.FromSeconds(30));
            // Sent rows are deleted just after the receiver answered; the restart comes once they are.
            await Eventually.Until(() => PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
                $"SELECT count(*) FROM journeys_event_outbox WHERE service_id = '{serviceId}'"), n => n == 0, TimeSpan.FromSeconds(30));
            await first.StopAsync();
        }

        await using var second = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId);
        var after = await second.Journeys.GetDeliveryStatsAsync(webhook.Id);

        Assert.Equal(users, receiver.Accepted.Count);
        Assert.True(before.Retries >= 3, $"retries before the restart: {before.Retries}");
        Assert.Equal(users, after.Delivered);
        Assert.Equal(before.Retries, after.Retries);
        Assert.Equal(0, after.Pending);
        Assert.True(after.Received >= after.Delivered, $"received {after.Received} < delivered {after.Delivered}");
        Assert.Equal(users, after.Received);
    }

    [Fact]
    public async Task A_superseded_dead_letter_leaves_the_rows_on_replay_and_its_skip_is_still_counted_after_a_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var healed = new TaskCompletionSource();
        receiver.Respond = (body, _) => !healed.Task.IsCompleted && body.Contains("\"Audience Entered\"") ? 400 : 200;
        var serviceId = "skipped-" + Guid.NewGuid().ToString("N")[..8];
        DestinationInfo webhook;
        ReplayResult replayed;

        await using (var first = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId))
        {
            var scenario = await FirstPurchase.CreateAsync(first.Journeys);
            webhook = await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
            await scenario.EnterOpenedEmailAsync("left");
            await Eventually.Until(() => first.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1, TimeSpan.FromSeconds(30));
            healed.SetResult();
            await scenario.MoveOnAsync("left");
            await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n == 1, TimeSpan.FromSeconds(30));
            replayed = await first.Journeys.ReplayAsync(webhook.Id);
            await first.StopAsync();
        }
        var rowsLeft = await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT (SELECT count(*) FROM journeys_dead_letters WHERE service_id = '{serviceId}') + " +
            $"(SELECT count(*) FROM journeys_event_outbox WHERE service_id = '{serviceId}')");

        await using var second = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId);
        var after = await second.Journeys.GetDeliveryStatsAsync(webhook.Id);

        Assert.Equal(new ReplayResult(0, 1), replayed);
        Assert.Equal(0, rowsLeft);
        Assert.Equal("Audience Exited", Assert.Single(receiver.Accepted).Json.GetProperty("event").GetString());
        Assert.Equal(1, after.Skipped);
        Assert.Equal(1, after.Delivered);
        Assert.Equal(0, after.Failed);
        Assert.Equal(2, after.Received);
    }
}
