using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>
/// SIGTERM, as Kubernetes sends it before the grace period runs out: the silo process finishes the deliveries in flight
/// before it exits, so none of them is sent again by the silo that takes over.
/// </summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task On_SIGTERM_the_silo_waits_for_the_deliveries_in_flight_and_settles_their_outbox_rows_before_exiting()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // Long enough that every request is still held when SIGTERM arrives, well inside the shutdown timeout.
        receiver.Delay = TimeSpan.FromSeconds(6);
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var serviceId = "sigterm-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = SiloProcess.Start(connectionString, new Dictionary<string, string>
        {
            ["Silo__ServiceId"] = serviceId,
            ["Silo__ShutdownTimeout"] = "00:00:40",
        });
        Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
        var users = Enumerable.Range(0, 5).Select(i => $"term-{i}").ToList();
        await using (var client = await silo.ConnectClientAsync())
        {
            var scenario = await FirstPurchase.CreateAsync(client.Journeys);
            await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
            foreach (var user in users) await scenario.EnterOpenedEmailAsync(user);
        }
        var held = await Eventually.Until(() => Task.FromResult(receiver.InFlight), n => n == users.Count, TimeSpan.FromSeconds(30));
        Assert.True(held == users.Count && receiver.Requests.IsEmpty, $"{held} requests held, {receiver.Requests.Count} answered before SIGTERM");

        await silo.TerminateAsync();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{silo.Output}");
        Assert.Equal(users.Count, receiver.Accepted.Select(r => r.MessageId).Distinct().Count());
        // Rows are deleted once a payload's answer is recorded: none left means no delivery was cut off and none will repeat.
        Assert.Equal(0L, await PostgresServer.ScalarAsync<long>(connectionString,
            $"SELECT count(*) FROM journeys_event_outbox WHERE service_id = '{serviceId}'"));
        Assert.DoesNotContain("still in flight", silo.Output);
    }

    [Fact]
    public async Task A_stop_ends_within_Silo_ShutdownTimeout_although_a_receiver_holds_its_requests_longer()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // Longer than the stop may take, shorter than the webhook timeout: only the stop's own limit ends the request.
        receiver.Delay = TimeSpan.FromSeconds(30);
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var serviceId = "sigterm-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = SiloProcess.Start(connectionString, new Dictionary<string, string>
        {
            ["Silo__ServiceId"] = serviceId,
            ["Silo__ShutdownTimeout"] = "00:00:03",
            ["Journeys__WebhookTimeout"] = "00:02:00",
        });
        Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
        await using (var client = await silo.ConnectClientAsync())
        {
            var scenario = await FirstPurchase.CreateAsync(client.Journeys);
            await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
            await scenario.EnterOpenedEmailAsync("held");
        }
        Assert.Equal(1, await Eventually.Until(() => Task.FromResult(receiver.InFlight), n => n == 1, TimeSpan.FromSeconds(30)));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await silo.TerminateAsync();
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(50));

        // Kubernetes would SIGKILL a stop that outlasts the grace period; the silo ends its own stop before that, giving up
        // the request rather than waiting for it (about 3 s; 20 s leaves room for a busy machine).
        Assert.True(exitCode is not null && clock.Elapsed < TimeSpan.FromSeconds(20), $"exit code {exitCode} after {clock.Elapsed}:\n{silo.Output}");
        // The unanswered payload stays in the outbox for the next silo.
        Assert.Equal(1L, await PostgresServer.ScalarAsync<long>(connectionString,
            $"SELECT count(*) FROM journeys_event_outbox WHERE service_id = '{serviceId}'"));
    }
}
