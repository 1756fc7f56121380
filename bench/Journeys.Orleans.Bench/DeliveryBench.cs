using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Orleans.Bench;

/// <summary>
/// Deliveries per second to a local HTTP receiver, with and without batching, and event-to-receipt latency at half of
/// the maximum rate, beside what the same receiver accepts from a plain HttpClient loop in the same run.
/// </summary>
internal static class DeliveryBench
{
    public static async Task RunAsync(IJourneysClient journeys, int payloads, int concurrency, double engineEventsPerSecond)
    {
        await using var receiver = await Receiver.StartAsync();

        var plain = await PlainHttpLoopAsync(receiver, TimeSpan.FromSeconds(5), concurrency: 8);
        var single = await DrainAsync(journeys, receiver, payloads, batchSize: 1, concurrency);
        var batched = await DrainAsync(journeys, receiver, payloads, batchSize: 100, concurrency);
        // Half of the end-to-end maximum: the lower of what the engine takes and what delivery drains.
        var (rate, p50, p99) = await LatencyAtAsync(journeys, receiver, Math.Max(50, Math.Min(engineEventsPerSecond, single) / 2), TimeSpan.FromSeconds(5));

        Console.WriteLine();
        Console.WriteLine($"baseline  plain HttpClient loop      {plain,12:N0} requests/s  (8 connections, one payload each, same receiver)");
        Console.WriteLine($"delivery  one payload per request    {single,12:N0} payloads/s  ({payloads:N0} payloads drained after a pause)");
        Console.WriteLine($"delivery  batches of up to 100       {batched,12:N0} payloads/s");
        Console.WriteLine($"latency   at {rate,6:N0} events/s         p50 {p50:N2} ms   p99 {p99:N2} ms  (event sent -> webhook received, half the end-to-end max)");
        Console.WriteLine($"ratio     unbatched / plain loop     {single / plain,12:P1}");
        Console.WriteLine($"ratio     batched / plain loop       {batched / plain,12:P1}");
    }

    private static async Task<double> PlainHttpLoopAsync(Receiver receiver, TimeSpan duration, int concurrency)
    {
        using var client = new HttpClient();
        var body = """{"type":"track","event":"Audience Entered","userId":"plain","messageId":"jrn_plain","properties":{"k":"true"}}""";
        long sent = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                using var response = await client.PostAsync(receiver.Url, new StringContent(body, Encoding.UTF8, "application/json"));
                Interlocked.Increment(ref sent);
            }
        }));
        return sent / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(string SpaceId, string StepId, string DestinationId)> ArrangeAsync(IJourneysClient journeys, Receiver receiver, int batchSize)
    {
        var spaceId = $"spa_delivery_{batchSize}_{Random.Shared.Next(100000)}";
        var webhook = await journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Bench Webhook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = receiver.Url, BatchSize = batchSize,
        }, spaceId);
        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition { Name = "Delivery", EntryCondition = Condition.Performed("Go") }, spaceId);
        var step = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Everyone", Kind = StepKind.SendToDestinations });
        await journeys.ConnectAsync(step.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await journeys.PublishAsync(journey.Id);
        return (spaceId, step.Id, webhook.Id);
    }

    private static async Task<double> DrainAsync(IJourneysClient journeys, Receiver receiver, int payloads, int batchSize, int concurrency)
    {
        var (spaceId, _, destinationId) = await ArrangeAsync(journeys, receiver, batchSize);
        await journeys.PauseDestinationAsync(destinationId);
        await ForEachAsync(payloads, concurrency, i => journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = $"d{batchSize}-{i}", Event = "Go" }));

        var before = receiver.Payloads;
        var stopwatch = Stopwatch.StartNew();
        await journeys.ResumeDestinationAsync(destinationId);
        while ((await journeys.GetDeliveryStatsAsync(destinationId)).Delivered < payloads && stopwatch.Elapsed < TimeSpan.FromMinutes(5))
            await Task.Delay(10);
        return (receiver.Payloads - before) / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(double Rate, double P50, double P99)> LatencyAtAsync(IJourneysClient journeys, Receiver receiver, double rate, TimeSpan duration)
    {
        var (spaceId, _, destinationId) = await ArrangeAsync(journeys, receiver, 1);
        var sentAt = new ConcurrentDictionary<string, long>();
        var count = (int)(rate * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1 / rate);
        var stopwatch = Stopwatch.StartNew();
        var calls = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = interval * i;
            if (due > stopwatch.Elapsed) await Task.Delay(due - stopwatch.Elapsed);
            var userId = $"lat-{i}";
            sentAt[userId] = Stopwatch.GetTimestamp();
            calls.Add(journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = userId, Event = "Go" }));
        }
        await Task.WhenAll(calls);
        while ((await journeys.GetDeliveryStatsAsync(destinationId)).Delivered < count && stopwatch.Elapsed < duration + TimeSpan.FromMinutes(2))
            await Task.Delay(10);

        var latencies = sentAt.Select(s => receiver.ReceivedAt.TryGetValue(s.Key, out var at) ? Stopwatch.GetElapsedTime(s.Value, at).TotalMilliseconds : double.NaN)
            .Where(l => !double.IsNaN(l)).Order().ToList();
        return (rate, latencies[(int)(latencies.Count * 0.5)], latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))]);
    }

    private static Task ForEachAsync(int count, int concurrency, Func<int, Task> action)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await action(i);
        }));
    }

    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private long _payloads;

        private Receiver(WebApplication app) => _app = app;

        public string Url { get; private init; } = "";

        public long Payloads => Interlocked.Read(ref _payloads);

        /// <summary>When each user's payload arrived (Stopwatch timestamps).</summary>
        public ConcurrentDictionary<string, long> ReceivedAt { get; } = new();

        public static async Task<Receiver> StartAsync()
        {
            Receiver receiver = null!;
            var (app, baseUrl) = await LoopbackHttp.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var json = await JsonDocument.ParseAsync(request.Body);
                var now = Stopwatch.GetTimestamp();
                var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
                foreach (var item in items)
                {
                    if (item.TryGetProperty("userId", out var user)) receiver.ReceivedAt.TryAdd(user.GetString()!, now);
                }
                Interlocked.Add(ref receiver._payloads, items.Count);
                return Results.Ok();
            }));
            receiver = new Receiver(app) { Url = baseUrl + "/hook" };
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
