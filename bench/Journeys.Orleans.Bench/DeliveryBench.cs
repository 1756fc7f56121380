using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Bench;

/// <summary>
/// Deliveries per second to a local HTTP receiver, with and without batching, and event-to-receipt latency at half of
/// the maximum rate, beside what the same receiver accepts from a plain HttpClient loop in the same run.
/// </summary>
internal static class DeliveryBench
{
    public static async Task RunAsync(IJourneysClient journeys, int payloads, int concurrency, double engineEventsPerSecond)
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        var plain = await PlainHttpLoopAsync(receiver, TimeSpan.FromSeconds(5), concurrency: 8);
        var single = (await DrainAsync(journeys, receiver, payloads, batchSize: 1, concurrency, TimeSpan.FromMinutes(5))).PerSecond;
        var batched = (await DrainAsync(journeys, receiver, payloads, batchSize: 100, concurrency, TimeSpan.FromMinutes(5))).PerSecond;
        // Half of the end-to-end maximum: the lower of what the engine takes and what delivery drains.
        var latency = await LatencyAtAsync(journeys, receiver, Math.Max(50, Math.Min(engineEventsPerSecond, single) / 2), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));

        Console.WriteLine();
        Console.WriteLine($"baseline  plain HttpClient loop      {plain,12:N0} requests/s  (8 connections, one payload each, same receiver)");
        Console.WriteLine($"delivery  one payload per request    {single,12:N0} payloads/s  ({payloads:N0} payloads drained after a pause)");
        Console.WriteLine($"delivery  batches of up to 100       {batched,12:N0} payloads/s");
        latency.Print();
        Console.WriteLine($"ratio     unbatched / plain loop     {single / plain,12:P1}");
        Console.WriteLine($"ratio     batched / plain loop       {batched / plain,12:P1}");
    }

    private static async Task<double> PlainHttpLoopAsync(WebhookReceiver receiver, TimeSpan duration, int concurrency)
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

    /// <summary>A webhook destination to <paramref name="receiver"/> on a one-step journey entered on "Go"; <paramref name="batchSize"/> null keeps the default.</summary>
    private static async Task<(string SpaceId, string DestinationId)> ArrangeAsync(IJourneysClient journeys, WebhookReceiver receiver, int? batchSize)
    {
        var spaceId = $"spa_delivery_{batchSize}_{Random.Shared.Next(100000)}";
        var definition = new DestinationDefinition { Name = "Bench Webhook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = receiver.Url };
        if (batchSize is { } size) definition = definition with { BatchSize = size };
        var webhook = await journeys.CreateDestinationAsync(definition, spaceId);
        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition { Name = "Delivery", EntryCondition = Condition.Performed("Go") }, spaceId);
        var step = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Everyone", Kind = StepKind.SendToDestinations });
        await journeys.ConnectAsync(step.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await journeys.PublishAsync(journey.Id);
        return (spaceId, webhook.Id);
    }

    /// <summary>
    /// Queues <paramref name="payloads"/> payloads (one user each) while the destination is paused, resumes it and
    /// measures at the receiver how fast they arrive, for at most <paramref name="measureAtMost"/>. The destination
    /// is paused again afterwards so payloads left over do not load the silo during later figures.
    /// </summary>
    public static async Task<DrainResult> DrainAsync(IJourneysClient journeys, WebhookReceiver receiver, int payloads, int? batchSize, int concurrency, TimeSpan measureAtMost)
    {
        var (spaceId, destinationId) = await ArrangeAsync(journeys, receiver, batchSize);
        await journeys.PauseDestinationAsync(destinationId);
        var prefix = $"d{batchSize}-{Random.Shared.Next(100000)}";
        await ForEachAsync(payloads, concurrency, i => journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = $"{prefix}-{i}", Event = "Go" }));

        var before = receiver.Users;
        var stopwatch = Stopwatch.StartNew();
        await journeys.ResumeDestinationAsync(destinationId);
        var complete = await receiver.WaitForUsersAsync(before + payloads, measureAtMost > stopwatch.Elapsed ? measureAtMost - stopwatch.Elapsed : TimeSpan.Zero);
        var result = new DrainResult(receiver.Users - before, payloads, stopwatch.Elapsed.TotalSeconds, complete);
        await journeys.PauseDestinationAsync(destinationId);
        return result;
    }

    /// <summary>
    /// Sends one event per user at <paramref name="rate"/> per second for <paramref name="duration"/>, then waits (at most
    /// <paramref name="waitAtMost"/>) for the payloads; latency is event sent → payload received.
    /// </summary>
    public static async Task<LatencyResult> LatencyAtAsync(IJourneysClient journeys, WebhookReceiver receiver, double rate, TimeSpan duration, TimeSpan waitAtMost)
    {
        var (spaceId, _) = await ArrangeAsync(journeys, receiver, 1);
        var sentAt = new ConcurrentDictionary<string, long>();
        var count = (int)(rate * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1 / rate);
        var prefix = $"lat-{Random.Shared.Next(100000)}";
        var before = receiver.Users;
        var stopwatch = Stopwatch.StartNew();
        var calls = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            // Paced by the schedule, not by the calls' answers: the rate stays fixed even when the silo falls behind.
            var due = interval * i;
            if (due > stopwatch.Elapsed) await Task.Delay(due - stopwatch.Elapsed);
            var userId = $"{prefix}-{i}";
            sentAt[userId] = Stopwatch.GetTimestamp();
            calls.Add(journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = userId, Event = "Go" }));
        }
        await Task.WhenAll(calls);
        await receiver.WaitForUsersAsync(before + count, waitAtMost);

        var latencies = sentAt.Select(s => receiver.ReceivedAt.TryGetValue(s.Key, out var at) ? Stopwatch.GetElapsedTime(s.Value, at).TotalMilliseconds : double.NaN)
            .Where(l => !double.IsNaN(l)).Order().ToList();
        return new LatencyResult(rate, count, count - latencies.Count, Stats.Percentile(latencies, 0.50), Stats.Percentile(latencies, 0.99));
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
}

/// <summary><paramref name="Arrived"/> of <paramref name="Queued"/> payloads reached the receiver in <paramref name="Seconds"/>; <paramref name="Complete"/> when all did.</summary>
internal sealed record DrainResult(long Arrived, int Queued, double Seconds, bool Complete)
{
    public double PerSecond => Arrived / Seconds;
}

internal sealed record LatencyResult(double Rate, int Sent, int Missing, double P50, double P99)
{
    public void Print() =>
        Console.WriteLine($"latency   at {Rate,6:N0} events/s         p50 {P50:N2} ms   p99 {P99:N2} ms  (event sent -> webhook received, half the end-to-end max{(Missing > 0 ? $"; {Missing:N0} of {Sent:N0} not received in time" : "")})");
}
