using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>
/// A silo process on PostgreSQL: a payload still unsent when its silo is killed is sent after the restart in the trace
/// of the request that caused it (the trace context is kept with its outbox row), and the group commits are measured.
/// </summary>
public sealed class TelemetryRestartTests
{
    private const string AdminToken = "telemetry-restart-admin-token";

    [Fact]
    public async Task A_payload_sent_after_kill_9_and_restart_continues_the_trace_of_its_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 503;
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var silo = SiloProcess.Start(connectionString, new Dictionary<string, string>
        {
            ["Silo__ServiceId"] = "telemetry-" + Guid.NewGuid().ToString("N")[..8],
            ["Management__AdminToken"] = AdminToken,
        });
        SiloProcess? restarted = null;
        try
        {
            Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
            string writeKey;
            await using (var client = await silo.ConnectClientAsync())
            {
                var scenario = await FirstPurchase.CreateAsync(client.Journeys);
                await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
                writeKey = (await client.Journeys.CreateWriteKeyAsync(scenario.SpaceId)).Key;
            }
            using var http = new HttpClient();
            var trace = ActivityTraceId.CreateRandom();
            var sent = await PostAsync(http, silo.Url, writeKey, $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
            await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n >= 1);
            // The refused payload's retry is scheduled (a group commit) just after the receiver answered: scraped once it is.
            var scrape = await Eventually.Until(() => PrometheusText.ScrapeAsync(http, silo.Url, AdminToken),
                s => s.Sum("journeys_commit_batch_size_count", ("store", "group")) >= 1);

            await silo.KillAsync();
            receiver.StatusCode = 200;
            restarted = silo.Restart();
            Assert.True(await restarted.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not restart:\n" + restarted.Output);
            await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n == 1, TimeSpan.FromSeconds(60));

            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            Assert.Single(receiver.Accepted);
            Assert.All(receiver.Requests, r => Assert.Equal(trace.ToString(), r.Headers["traceparent"].Split('-')[1]));
            Assert.True(scrape.Sum("journeys_commit_batch_size_count", ("store", "users")) >= 2, "the user's two calls were committed");
            Assert.True(scrape.Sum("journeys_commit_duration_seconds_sum", ("store", "users")) > 0);
            Assert.True(scrape.Sum("journeys_commit_batch_size_count", ("store", "group")) >= 1, "the retry schedule went through group commit");
            Assert.True(scrape.Has("db_client_operation_duration_seconds_count") || scrape.Names.Any(n => n.StartsWith("db_client_", StringComparison.Ordinal)),
                "Npgsql's instruments are exported");
        }
        finally
        {
            if (restarted is not null) await restarted.DisposeAsync();
            await silo.DisposeAsync();
        }
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, string writeKey, string traceParent)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url + "/v1/batch")
        {
            Content = new StringContent("""
                {"batch":[{"type":"track","userId":"r1","event":"Order Completed"},{"type":"track","userId":"r1","event":"Email Opened"}]}
                """, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        request.Headers.Add("traceparent", traceParent);
        return http.SendAsync(request);
    }
}
