using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class ReminderTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Unsent_payloads_are_sent_after_a_restart_by_the_reminder_kept_in_PostgreSQL()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // Until the restart the receiver is unavailable, so every payload is still waiting for a retry then.
        receiver.StatusCode = 503;
        var serviceId = "reminders-" + Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(0, 12).Select(i => $"slow-{i}").ToList();
        string webhookId;

        await using (var before = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId))
        {
            var scenario = await FirstPurchase.CreateAsync(before.Journeys);
            var webhook = await scenario.AddWebhookAsync(receiver.Url);
            webhookId = webhook.Id;
            await before.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
            await scenario.PublishAsync();
            foreach (var user in users) await scenario.EnterOpenedEmailAsync(user);

            var reminders = await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
                $"SELECT count(*) FROM OrleansRemindersTable WHERE ServiceId = '{serviceId}' AND ReminderName = 'drain'");
            Assert.True(reminders > 0, "a partition holding unsent payloads keeps a reminder");
            await before.StopAsync();
        }
        var sentBeforeRestart = receiver.Requests.Count;
        var pendingAtRestart = await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT count(*) FROM journeys_event_outbox WHERE service_id = '{serviceId}'");

        // Nothing calls the destination after the restart: only its reminders can bring the partitions back.
        receiver.StatusCode = 200;
        await using var after = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= users.Count, TimeSpan.FromSeconds(60));

        Assert.True(pendingAtRestart > 0, $"the restart happened with payloads in the outbox (sent before: {sentBeforeRestart})");
        Assert.Equal(users.Count, receiver.MessageIds.Distinct().Count());
        Assert.Equal(users.Order(), receiver.Accepted
            .Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("userId").GetString()!)
            .Distinct().Order());
        await Eventually.Until(
            () => PostgresServer.ScalarAsync<long>(fixture.ConnectionString, $"SELECT count(*) FROM journeys_event_outbox WHERE service_id = '{serviceId}'"),
            n => n == 0);
        _ = webhookId;
    }
}
