using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>The retry schedule and the dead letters live with the outbox in PostgreSQL, so a restart keeps them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryDurabilityTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Retry_schedules_and_dead_letters_survive_a_restart_and_replay_afterwards()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (body, _) => body.Contains("\"userId\":\"refused\"") ? 400 : 503;
        var serviceId = "retries-" + Guid.NewGuid().ToString("N")[..8];
        FirstPurchase scenario;
        DestinationInfo webhook;

        await using (var before = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId))
        {
            scenario = await FirstPurchase.CreateAsync(before.Journeys);
            webhook = await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
            await scenario.EnterOpenedEmailAsync("refused");
            await scenario.EnterOpenedEmailAsync("retried");
            await Eventually.Until(() => before.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1);
            await Eventually.Until(() => before.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Retries >= 2);
            await before.StopAsync();
        }
        var attemptsAtRestart = await PostgresServer.ScalarAsync<int>(fixture.ConnectionString,
            $"SELECT attempts FROM journeys_event_outbox WHERE service_id = '{serviceId}'");
        var firstAttempt = await PostgresServer.ScalarAsync<DateTime>(fixture.ConnectionString,
            $"SELECT first_attempt_at FROM journeys_event_outbox WHERE service_id = '{serviceId}'");

        receiver.Respond = (_, _) => 200;
        await using var after = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId);
        var letters = await after.Journeys.GetDeadLettersAsync(webhook.Id);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, TimeSpan.FromSeconds(30));
        var replayed = await after.Journeys.ReplayAsync(webhook.Id, [letters.Single().MessageId]);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2, TimeSpan.FromSeconds(30));

        Assert.True(attemptsAtRestart >= 2, $"attempts recorded before the restart: {attemptsAtRestart}");
        Assert.True(firstAttempt > DateTime.MinValue);
        Assert.Equal(scenario.ExpectedMessageId("refused", TransitionDirection.Entered, webhook.Id), letters.Single().MessageId);
        Assert.Equal(400, letters.Single().Status);
        Assert.Equal(new ReplayResult(1, 0), replayed);
        Assert.Equal(
            new[] { "retried", "refused" },
            receiver.Accepted.Select(r => r.Json.GetProperty("userId").GetString()));
        Assert.Equal(0L, await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT count(*) FROM journeys_dead_letters WHERE service_id = '{serviceId}'"));
    }
}
