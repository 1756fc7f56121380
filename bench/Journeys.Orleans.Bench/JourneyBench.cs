using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Bench;

/// <summary>
/// Drives users through the demo journey ("First Purchase": enter "Opened Email", then leave it for "Repeat Buyers")
/// on a silo, beside the rate of empty grain calls on the same silo.
/// </summary>
internal sealed class JourneyBench(IGrainFactory grains, IJourneysClient journeys, int concurrency, bool withList)
{
    public async Task<double> RunEmptyCallsAsync(int calls)
    {
        var stopwatch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var grain = grains.GetGrain<IEmptyGrain>($"empty-{worker}");
            while (Interlocked.Increment(ref next) < calls) await grain.PingAsync();
        }));
        return calls / stopwatch.Elapsed.TotalSeconds;
    }

    public async Task<JourneyResult> RunJourneyAsync(int userCount, string label)
    {
        var spaceId = $"spa_bench_{label}";
        var recorder = await journeys.CreateDestinationAsync(new DestinationDefinition { Name = "Bench Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);
        var list = await journeys.CreateDestinationAsync(new DestinationDefinition { Name = "Bench List", Kind = DestinationKind.List }, spaceId);
        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition { Name = "First Purchase", EntryCondition = Condition.Performed("Order Completed") }, spaceId);
        await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Wait for an email open", Kind = StepKind.Condition, Condition = Condition.Performed("Email Opened") });
        var opened = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Opened Email", Kind = StepKind.SendToDestinations });
        await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Wait for a second order", Kind = StepKind.Condition, Condition = Condition.Performed("Order Completed") });
        var repeat = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Repeat Buyers", Kind = StepKind.SendToDestinations });
        var trackOnly = new ConnectionSettings { SendIdentify = false };
        await journeys.ConnectAsync(opened.Id, recorder.Id, trackOnly);
        await journeys.ConnectAsync(repeat.Id, recorder.Id, trackOnly);
        if (withList)
        {
            await journeys.ConnectAsync(opened.Id, list.Id);
            await journeys.ConnectAsync(repeat.Id, list.Id);
        }
        await journeys.PublishAsync(journey.Id);

        // Per user: when the event that causes each transition was sent.
        var sentAt = new ConcurrentDictionary<(string User, int Event), DateTimeOffset>();
        string[] events = ["Order Completed", "Email Opened", "Order Completed"];
        var stopwatch = Stopwatch.StartNew();
        var nextUser = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref nextUser)) < userCount)
            {
                var userId = $"bench-{index}";
                for (var e = 0; e < events.Length; e++)
                {
                    sentAt[(userId, e)] = DateTimeOffset.UtcNow;
                    await journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = userId, Event = events[e] });
                }
            }
        }));
        var eventsSeconds = stopwatch.Elapsed.TotalSeconds;

        // Three transitions per user; the recorder gets one track call for each. Poll the cheap counters, not the payloads.
        var expected = userCount * 3;
        while ((await journeys.GetDeliveryStatsAsync(recorder.Id)).Delivered < expected && stopwatch.Elapsed < TimeSpan.FromMinutes(5))
            await Task.Delay(10);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var recorded = await journeys.GetRecordedAsync(recorder.Id);

        var latencies = new List<double>(recorded.Count);
        foreach (var message in recorded)
        {
            using var json = JsonDocument.Parse(message.Json);
            var root = json.RootElement;
            var userId = root.GetProperty("userId").GetString()!;
            var cause = root.GetProperty("event").GetString() == "Audience Entered" && root.GetProperty("properties").TryGetProperty(opened.Key, out _) ? 1 : 2;
            latencies.Add((message.RecordedAt - sentAt[(userId, cause)]).TotalMilliseconds);
        }
        latencies.Sort();
        return new JourneyResult(recorded.Count, userCount * events.Length, seconds, eventsSeconds, Stats.Percentile(latencies, 0.50), Stats.Percentile(latencies, 0.99));
    }

    /// <summary>The whole run: empty calls, then <paramref name="users"/> through the journey; prints both.</summary>
    public async Task<(double EmptyRate, JourneyResult Journey)> RunAsync(int users, int emptyCalls)
    {
        // Warm up both paths once so JIT and activation costs stay out of the figures. Long enough for tiered
        // compilation to reach its optimized code: with 200 users, hot methods were still running their instrumented
        // tier (and being compiled) well into the measured run.
        await RunEmptyCallsAsync(20_000);
        await RunJourneyAsync(Math.Max(200, users / 10), "warmup");

        var emptyRate = await RunEmptyCallsAsync(emptyCalls);
        var result = await RunJourneyAsync(users, "measured");
        result.Print(emptyRate, emptyCalls, concurrency);
        return (emptyRate, result);
    }
}

internal sealed record JourneyResult(int Transitions, int Events, double Seconds, double EventsSeconds, double P50, double P99)
{
    public double TransitionsPerSecond => Transitions / Seconds;
    public double EventsPerSecond => Events / EventsSeconds;

    public void Print(double emptyRate, int emptyCalls, int concurrency)
    {
        Console.WriteLine($"baseline  empty grain calls          {emptyRate,12:N0} calls/s  ({emptyCalls:N0} calls, {concurrency} in flight)");
        Console.WriteLine($"journey   transitions delivered      {TransitionsPerSecond,12:N0} transitions/s  ({Transitions:N0} transitions, {Events:N0} events, {Seconds:N2} s)");
        Console.WriteLine($"journey   events accepted            {EventsPerSecond,12:N0} events/s");
        Console.WriteLine($"latency   event sent -> recorded     p50 {P50:N2} ms   p99 {P99:N2} ms");
        Console.WriteLine($"ratio     grain calls per transition {emptyRate / TransitionsPerSecond,12:N1}  (empty calls/s ÷ transitions/s)");
    }
}
