using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Journeys.Orleans.Bench;

/// <summary>
/// Events per second accepted by a running silo's <c>POST /v1/batch</c> (batches of 100), beside what the same silo's
/// Kestrel answers for its trivial <c>GET /health</c> in the same run.
/// </summary>
internal static class IngestionBench
{
    public const int BatchSize = 100;

    public static async Task RunAsync(string url, string adminToken, TimeSpan duration, int connections)
    {
        url = url.TrimEnd('/');
        using var http = new HttpClient();
        var writeKey = await CreateWriteKeyAsync(http, url, adminToken, $"spa_ingest_{Random.Shared.Next(100000)}");

        var (requests, seconds) = await LoopAsync(duration, connections, async _ =>
        {
            using var response = await http.GetAsync($"{url}/health");
            response.EnsureSuccessStatusCode();
            return 1;
        });
        var empty = requests / seconds;
        var events = await PostBatchesAsync(http, [url], writeKey, "Order Completed", duration, connections);

        Console.WriteLine();
        Console.WriteLine($"baseline  GET /health (empty)        {empty,12:N0} requests/s  ({connections} connections, same silo's Kestrel)");
        Console.WriteLine($"ingest    POST /v1/batch of 100      {events.PerSecond,12:N0} events/s   ({events.PerSecond / BatchSize:N0} requests/s)");
        Console.WriteLine($"ratio     batch requests / empty     {events.PerSecond / BatchSize / empty,12:P1}");
    }

    /// <summary>A new write key of <paramref name="spaceId"/>, made through the management API.</summary>
    public static async Task<string> CreateWriteKeyAsync(HttpClient http, string url, string adminToken, string spaceId)
    {
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/spaces/{spaceId}/write-keys");
        keyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var keyResponse = await http.SendAsync(keyRequest);
        keyResponse.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await keyResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>
    /// POSTs batches of 100 <paramref name="eventName"/> track calls, one new user each, from <paramref name="connections"/>
    /// loops spread over <paramref name="urls"/> for <paramref name="duration"/>. <paramref name="sending"/> sees each
    /// batch's users just before it goes; <paramref name="refused"/> those of a batch the silo did not accept.
    /// </summary>
    public static async Task<IngestResult> PostBatchesAsync(HttpClient http, IReadOnlyList<string> urls, string writeKey, string eventName, TimeSpan duration,
        int connections, Action<string[]>? sending = null, Action<string[]>? refused = null)
    {
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        var prefix = $"ing{Random.Shared.Next(100000)}";
        var batch = 0;
        long refusedBatches = 0;
        var (accepted, seconds) = await LoopAsync(duration, connections, async connection =>
        {
            var n = Interlocked.Increment(ref batch);
            var users = Enumerable.Range(0, BatchSize).Select(i => $"{prefix}-{n}-{i}").ToArray();
            var body = "{\"batch\":[" + string.Join(",", users.Select((user, i) =>
                $$$"""{"type":"track","userId":"{{{user}}}","event":"{{{eventName}}}","messageId":"m-{{{user}}}","properties":{"total":{{{i}}}}}""")) + "]}";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{urls[connection % urls.Count].TrimEnd('/')}/v1/batch")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = auth;
            sending?.Invoke(users);
            using var response = await http.SendAsync(request);
            if (response.IsSuccessStatusCode) return BatchSize;
            Interlocked.Increment(ref refusedBatches);
            refused?.Invoke(users);
            return 0;
        });
        return new IngestResult(accepted, refusedBatches, accepted / seconds);
    }

    /// <summary>Units that <paramref name="connections"/> loops of <paramref name="call"/> (given its loop's number) complete in about <paramref name="duration"/>, and the seconds taken.</summary>
    private static async Task<(long Done, double Seconds)> LoopAsync(TimeSpan duration, int connections, Func<int, Task<int>> call)
    {
        long done = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async connection =>
        {
            while (stopwatch.Elapsed < duration) Interlocked.Add(ref done, await call(connection));
        }));
        return (done, stopwatch.Elapsed.TotalSeconds);
    }
}

/// <summary><paramref name="Accepted"/> events taken at <paramref name="PerSecond"/>; <paramref name="RefusedBatches"/> batches answered with an error.</summary>
internal sealed record IngestResult(long Accepted, long RefusedBatches, double PerSecond);
