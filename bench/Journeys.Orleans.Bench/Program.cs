using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Journeys.Orleans.Bench;
using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Drives users through the demo journey ("First Purchase": enter "Opened Email", then leave it for "Repeat Buyers")
// on an in-process silo, and prints transitions per second and event-to-recording latency beside the rate of empty
// grain calls on the same silo in the same run.
var users = Arg("--users", 3000);
var concurrency = Arg("--concurrency", 64);
var emptyCalls = Arg("--empty-calls", 200_000);
var withList = Arg("--list", 1) == 1;
var postgres = StringArg("--postgres");
var baselineSeconds = Arg("--baseline-seconds", 5);
var deliveryPayloads = Arg("--delivery", 0);
var listSyncMembers = Arg("--list-sync", 0);

// --ingest URL --admin-token TOKEN: only the HTTP tracking API of an already running silo.
if (StringArg("--ingest") is { } ingestUrl)
{
    await IngestionBench.RunAsync(ingestUrl, StringArg("--admin-token") ?? "", TimeSpan.FromSeconds(baselineSeconds), Arg("--connections", 16));
    return 0;
}

// --engine-scale USERS [--parked N]: 10 journeys of 10 steps, and users parked on a delay.
if (Arg("--engine-scale", 0) is > 0 and var scaleUsers)
{
    await EngineScaleBench.RunAsync(await FreshDatabaseAsync(), scaleUsers, Arg("--parked", 0), concurrency);
    return 0;
}

var connectionString = await FreshDatabaseAsync();

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Polly", LogLevel.Error);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(siloPort: 21111, gatewayPort: 40000, serviceId: "journeys-bench", clusterId: "journeys-bench");
    if (connectionString is null) silo.UseJourneysInMemoryStorage();
    else silo.UseJourneysPostgres(connectionString);
    // The bench's receivers listen on loopback, which outgoing calls may reach only when allowed.
    silo.AddJourneys(configure: options => options.AllowedNetworks = ["127.0.0.0/8", "::1/128"]);
});
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();
var journeys = new JourneysClient(grains);

Console.WriteLine($"Journeys.Orleans bench — in-process silo, {(connectionString is null ? "embedded default (in-memory state)" : "PostgreSQL (durable state)")}, {Environment.ProcessorCount} cores");
Console.WriteLine($"users={users} concurrency={concurrency} destinations: recorder{(withList ? " + list" : "")}\n");

// Warm up both paths once so JIT and activation costs stay out of the figures.
await RunEmptyCallsAsync(5_000);
await RunJourneyAsync(200, "warmup");

var emptyRate = await RunEmptyCallsAsync(emptyCalls);
var result = await RunJourneyAsync(users, "measured");

Console.WriteLine($"baseline  empty grain calls          {emptyRate,12:N0} calls/s  ({emptyCalls:N0} calls, {concurrency} in flight)");
Console.WriteLine($"journey   transitions delivered      {result.TransitionsPerSecond,12:N0} transitions/s  ({result.Transitions:N0} transitions, {result.Events:N0} events, {result.Seconds:N2} s)");
Console.WriteLine($"journey   events accepted            {result.EventsPerSecond,12:N0} events/s");
Console.WriteLine($"latency   event sent -> recorded     p50 {result.P50:N2} ms   p99 {result.P99:N2} ms");
Console.WriteLine($"ratio     grain calls per transition {emptyRate / result.TransitionsPerSecond,12:N1}  (empty calls/s ÷ transitions/s)");
if (deliveryPayloads > 0) await DeliveryBench.RunAsync(journeys, deliveryPayloads, concurrency, result.EventsPerSecond);
if (listSyncMembers > 0)
{
    if (connectionString is null) Console.WriteLine("\n--list-sync needs --postgres: remote list sync works on the member rows.");
    else await ListSyncBench.RunAsync(journeys, grains, listSyncMembers);
}

await host.StopAsync();

if (connectionString is not null)
{
    var single = await PostgresBaseline.InsertRowsAsync(connectionString, rowsPerTransaction: 1, connections: 16, TimeSpan.FromSeconds(baselineSeconds));
    var hundred = await PostgresBaseline.InsertRowsAsync(connectionString, rowsPerTransaction: 100, connections: 4, TimeSpan.FromSeconds(baselineSeconds));
    Console.WriteLine();
    Console.WriteLine($"postgres  1 row per transaction      {single,12:N0} rows/s  (16 connections, Npgsql, journeys_grain_state-shaped rows)");
    Console.WriteLine($"postgres  100 rows per transaction   {hundred,12:N0} rows/s  (4 connections: the batched ceiling)");
    Console.WriteLine($"ratio     transitions / 1-row txns   {result.TransitionsPerSecond / single,12:P1}");
    Console.WriteLine($"ratio     transitions / 100-row txns {result.TransitionsPerSecond / hundred,12:P1}");
}
return 0;

// With --postgres (a connection string of a server where databases may be created): a fresh database, migrated.
async Task<string?> FreshDatabaseAsync()
{
    if (postgres is null) return null;
    var database = await PostgresBaseline.CreateDatabaseAsync(postgres);
    await using var migrations = Npgsql.NpgsqlDataSource.Create(database);
    await new Journeys.Orleans.Persistence.PostgreSql.SchemaMigrator(migrations).MigrateAsync();
    return database;
}

async Task<double> RunEmptyCallsAsync(int calls)
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

async Task<JourneyResult> RunJourneyAsync(int userCount, string label)
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
    return new JourneyResult(recorded.Count, userCount * events.Length, seconds, eventsSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];

string? StringArg(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

int Arg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record JourneyResult(int Transitions, int Events, double Seconds, double EventsSeconds, double P50, double P99)
{
    public double TransitionsPerSecond => Transitions / Seconds;
    public double EventsPerSecond => Events / EventsSeconds;
}
