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
    public static async Task RunAsync(string url, string adminToken, TimeSpan duration, int connections)
    {
        url = url.TrimEnd('/');
        using var http = new HttpClient();
        var spaceId = $"spa_ingest_{Random.Shared.Next(100000)}";
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/spaces/{spaceId}/write-keys");
        keyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var keyResponse = await http.SendAsync(keyRequest);
        keyResponse.EnsureSuccessStatusCode();
        var writeKey = JsonDocument.Parse(await keyResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));

        var empty = await LoopAsync(duration, connections, async () =>
        {
            using var response = await http.GetAsync($"{url}/health");
            response.EnsureSuccessStatusCode();
            return 1;
        });

        var batch = 0;
        var events = await LoopAsync(duration, connections, async () =>
        {
            var n = Interlocked.Increment(ref batch);
            var body = "{\"batch\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i =>
                $$$"""{"type":"track","userId":"ing-{{{n}}}-{{{i}}}","event":"Order Completed","messageId":"m-{{{n}}}-{{{i}}}","properties":{"total":{{{i}}}}}""")) + "]}";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/v1/batch") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = auth;
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return 100;
        });

        Console.WriteLine();
        Console.WriteLine($"baseline  GET /health (empty)        {empty,12:N0} requests/s  ({connections} connections, same silo's Kestrel)");
        Console.WriteLine($"ingest    POST /v1/batch of 100      {events,12:N0} events/s   ({events / 100:N0} requests/s)");
        Console.WriteLine($"ratio     batch requests / empty     {events / 100 / empty,12:P1}");
    }

    private static async Task<double> LoopAsync(TimeSpan duration, int connections, Func<Task<int>> call)
    {
        long done = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration) Interlocked.Add(ref done, await call());
        }));
        return done / stopwatch.Elapsed.TotalSeconds;
    }
}
