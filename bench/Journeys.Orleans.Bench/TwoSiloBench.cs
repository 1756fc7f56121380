using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Journeys.Orleans.Bench;

/// <summary>
/// Two silo processes on one fresh PostgreSQL database, as deployed: events POSTed to <c>/v1/batch</c> of both, a journey
/// entered on the event whose send step goes to a webhook in the bench. Events accepted per second, and event → webhook
/// received latency over every payload, with the payloads that never arrived counted.
/// </summary>
internal static class TwoSiloBench
{
    public static async Task<TwoSiloResult> RunAsync(
        string adminConnectionString, string siloDll, TimeSpan warmUpFor, TimeSpan ingestFor, TimeSpan waitAtMost, int connections)
    {
        var database = await PostgresBaseline.CreateDatabaseAsync(adminConnectionString, "two_silos_");
        await using var receiver = await WebhookReceiver.StartAsync();
        var adminToken = "bench-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Journeys"] = database,
            ["Management__AdminToken"] = adminToken,
            ["Silo__ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Logging__LogLevel__Default"] = "Warning",
            // The bench's receiver listens on loopback, which outgoing calls may reach only when allowed.
            ["Journeys__AllowedNetworks__0"] = "127.0.0.0/8",
        };

        // One after the other: the first prepares the database, the second joins a cluster that is already there.
        await using var first = await StartAsync(siloDll, settings);
        await using var second = await StartAsync(siloDll, settings);
        using var http = new HttpClient();
        var spaceId = "spa_two_silos";
        var api = new ManagementApi(http, first.Url, adminToken);
        var destinationId = await api.PostForIdAsync($"/api/spaces/{spaceId}/destinations", new { name = "Bench Webhook", kind = "Event", connector = "Webhook", webhookUrl = receiver.Url });
        var journeyId = await api.PostForIdAsync($"/api/spaces/{spaceId}/journeys", new { name = "Two Silos", entryCondition = new { kind = "PerformedEvent", eventName = "Go" } });
        var stepId = await api.PostForIdAsync($"/api/journeys/{journeyId}/steps", new { name = "Everyone", kind = "SendToDestinations" });
        await api.PostAsync($"/api/steps/{stepId}/connections", new { destinationId, settings = new { sendIdentify = false } });
        await api.PostAsync($"/api/journeys/{journeyId}/publish", null);
        var writeKey = await IngestionBench.CreateWriteKeyAsync(http, first.Url, adminToken, spaceId);

        // Silos that have run for a while, as deployed: freshly started, tiered compilation took a fifth of the CPU
        // well into the measured minute. The warm-up's payloads have all arrived before the measured run starts.
        var warmUp = await IngestionBench.PostBatchesAsync(http, [first.Url, second.Url], writeKey, "Go", warmUpFor, connections);
        var warmedUp = await receiver.WaitForUsersAsync(warmUp.Accepted, waitAtMost);
        Console.WriteLine($"warm-up   {warmUp.Accepted:N0} events in {warmUpFor.TotalSeconds:N0} s{(warmedUp ? ", all delivered" : ", NOT all delivered in time")}");

        var sentAt = new ConcurrentDictionary<string, long>();
        var ingest = await IngestionBench.PostBatchesAsync(http, [first.Url, second.Url], writeKey, "Go", ingestFor, connections,
            sending: users =>
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var user in users) sentAt[user] = now;
            },
            refused: users =>
            {
                foreach (var user in users) sentAt.TryRemove(user, out _);
            });

        // Bounded: on slow delivery the payloads still on their way at the deadline count as lost, and their latency as
        // the time waited so far (the p99 is then a lower bound).
        var waited = Stopwatch.StartNew();
        var complete = await receiver.WaitForUsersAsync(warmUp.Accepted + sentAt.Count, waitAtMost);
        var waitEnded = Stopwatch.GetTimestamp();
        var latencies = sentAt.Select(s => Stopwatch.GetElapsedTime(s.Value, receiver.ReceivedAt.TryGetValue(s.Key, out var at) ? at : waitEnded).TotalMilliseconds)
            .Order().ToList();
        var lost = sentAt.Keys.Count(user => !receiver.ReceivedAt.ContainsKey(user));
        return new TwoSiloResult(ingest, lost, complete, waited.Elapsed.TotalSeconds, Stats.Percentile(latencies, 0.50), Stats.Percentile(latencies, 0.99));
    }

    public static async Task<SiloProcess> StartAsync(string siloDll, IReadOnlyDictionary<string, string> settings)
    {
        var silo = SiloProcess.Start(siloDll, settings);
        if (await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(120))) return silo;
        var output = silo.Output;
        await silo.DisposeAsync();
        throw new InvalidOperationException($"The silo process did not start:\n{output}");
    }
}

internal sealed record TwoSiloResult(IngestResult Ingest, int Lost, bool Complete, double SecondsWaited, double P50, double P99)
{
    public void Print(int connections, double ingestSeconds)
    {
        Console.WriteLine($"http      POST /v1/batch, two silos  {Ingest.PerSecond,12:N0} events/s  ({Ingest.Accepted:N0} events in {ingestSeconds:N0} s, {connections} connections over both silos, {Ingest.RefusedBatches:N0} batches refused)");
        Console.WriteLine($"latency   event -> webhook received  p50 {P50:N2} ms   p99 {P99:N2} ms{(Complete ? "" : "  (a lower bound: not all arrived)")}");
        Console.WriteLine($"delivery  payloads lost              {Lost,12:N0}  ({(Complete ? "every accepted event's payload arrived" : $"not arrived {SecondsWaited:N0} s after the last batch")})");
    }
}
