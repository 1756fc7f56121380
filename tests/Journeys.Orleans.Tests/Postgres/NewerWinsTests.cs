using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.Tests.Support;
using Npgsql;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>
/// A receiver keeps the state the last message told it: a payload sent again after a newer one of the same user,
/// step and destination reverses it. Database outages and restarts must never cause that.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NewerWinsTests
{
    private const int Users = 120;

    [Fact]
    public async Task A_sent_payload_is_never_sent_again_after_a_newer_one_through_a_database_outage_and_a_restart()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        await using (var migrations = NpgsqlDataSource.Create(database)) await new SchemaMigrator(migrations).MigrateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(20);
        var serviceId = "newer-" + Guid.NewGuid().ToString("N")[..8];
        FirstPurchase scenario;
        DestinationInfo webhook;

        await using (var before = await PostgresCluster.StartAsync(database, serviceId))
        {
            scenario = await FirstPurchase.CreateAsync(before.Journeys);
            webhook = await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);

            // Every user enters "Opened Email" and leaves it; a sender retries each call until it is taken.
            var load = Task.WhenAll(Enumerable.Range(0, Users).Select(async i =>
            {
                var userId = $"n{i}";
                await UntilTakenAsync(() => scenario.TrackAsync(userId, FirstPurchase.OrderCompleted, $"{userId}-1"));
                await UntilTakenAsync(() => scenario.TrackAsync(userId, FirstPurchase.EmailOpened, $"{userId}-2"));
                await UntilTakenAsync(() => scenario.TrackAsync(userId, FirstPurchase.OrderCompleted, $"{userId}-3"));
            }));
            await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 10, TimeSpan.FromSeconds(60));
            await CutOffAsync(database, TimeSpan.FromSeconds(6));
            await load;
            await Eventually.Until(() => Task.FromResult(Exits(receiver)), n => n >= Users, TimeSpan.FromSeconds(120));
            await before.StopAsync();
        }

        // Whatever the outbox still holds is sent by the restarted cluster.
        await using var after = await PostgresCluster.StartAsync(database, serviceId);
        await Eventually.Until(
            () => PostgresServer.ScalarAsync<long>(database, $"SELECT count(*) FROM journeys_event_outbox WHERE service_id = '{serviceId}'"),
            n => n == 0, TimeSpan.FromSeconds(90));
        await Eventually.Until(() => after.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Pending == 0, TimeSpan.FromSeconds(30));

        var reversed = receiver.Accepted
            .Select(r => (User: r.Json.GetProperty("userId").GetString()!, Event: r.Json.GetProperty("event").GetString()!))
            .GroupBy(r => r.User)
            .Where(user => user.SkipWhile(r => r.Event != "Audience Exited").Any(r => r.Event == "Audience Entered"))
            .Select(user => user.Key)
            .ToList();
        Assert.Empty(reversed);
        Assert.Equal(Users, Exits(receiver));
    }

    private static int Exits(WebhookReceiver receiver) =>
        receiver.Accepted.Select(r => r.Json).Where(j => j.GetProperty("event").GetString() == "Audience Exited")
            .Select(j => j.GetProperty("userId").GetString()).Distinct().Count();

    /// <summary>Retries a call until it is taken, as a sender of events would; each call carries its message id.</summary>
    private static async Task UntilTakenAsync(Func<Task> call)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// The database goes away for <paramref name="outage"/>: every connection to it is cut and new ones are refused, as
    /// when the server restarts, without disturbing the other tests' databases on the same server.
    /// </summary>
    private static async Task CutOffAsync(string database, TimeSpan outage)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await PostgresServer.ExecuteAsync(PostgresServer.AdminConnectionString, $"ALTER DATABASE {name} ALLOW_CONNECTIONS false");
        await PostgresServer.ExecuteAsync(PostgresServer.AdminConnectionString,
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        // The fault itself lasts a set time; nothing here waits for a condition.
        await Task.Delay(outage);
        await PostgresServer.ExecuteAsync(PostgresServer.AdminConnectionString, $"ALTER DATABASE {name} ALLOW_CONNECTIONS true");
        // This process's pools still hold the cut connections; a restarted process would start with none.
        NpgsqlConnection.ClearAllPools();
    }
}
