using System.Globalization;
using Journeys.Orleans.Bench;
using Journeys.Orleans.Persistence;
using Microsoft.Extensions.DependencyInjection;

// Drives users through the demo journey ("First Purchase": enter "Opened Email", then leave it for "Repeat Buyers")
// on an in-process silo, and prints transitions per second and event-to-recording latency beside the rate of empty
// grain calls on the same silo in the same run.
// Long enough that the figures are the steady state, not the JIT and the first activations (3,000 took 3 s).
var users = Arg("--users", 20000);
var concurrency = Arg("--concurrency", 64);
var emptyCalls = Arg("--empty-calls", 200_000);
var withList = Arg("--list", 1) == 1;
var postgres = StringArg("--postgres");
var baselineSeconds = Arg("--baseline-seconds", 5);
var deliveryPayloads = Arg("--delivery", 0);
var listSyncMembers = Arg("--list-sync", 0);

// --all --postgres "...": the five scenarios of the bench contract, ending with RESULT lines.
if (args.Contains("--all"))
{
    if (postgres is null)
    {
        Console.Error.WriteLine("--all needs --postgres \"<connection string of a server where databases may be created>\".");
        return 2;
    }
    return await AllBench.RunAsync(new AllOptions(
        postgres, users, concurrency, emptyCalls, withList, TimeSpan.FromSeconds(baselineSeconds),
        WebhookPayloads: Arg("--webhook-payloads", 20_000),
        DrainAtMost: TimeSpan.FromSeconds(Arg("--drain-seconds", 30)),
        LatencyFor: TimeSpan.FromSeconds(Arg("--latency-seconds", 10)),
        HttpWarmUpFor: TimeSpan.FromSeconds(Arg("--http-warmup-seconds", 30)),
        HttpFor: TimeSpan.FromSeconds(Arg("--http-seconds", 60)),
        HttpWaitAtMost: TimeSpan.FromSeconds(Arg("--http-wait-seconds", 120)),
        HttpConnections: Arg("--connections", 16),
        SiloDll: StringArg("--silo-dll") ?? SiloProcess.DefaultDll));
}

// --pages-scale USERS --postgres "...": dashboard page load times in a space of that many users (a silo process).
if (Arg("--pages-scale", 0) is > 0 and var pageUsers)
{
    if (postgres is null)
    {
        Console.Error.WriteLine("--pages-scale needs --postgres \"<connection string of a server where databases may be created>\".");
        return 2;
    }
    await PagesBench.RunAsync(postgres, StringArg("--silo-dll") ?? SiloProcess.DefaultDll, pageUsers);
    return 0;
}

// --ingest URL --admin-token TOKEN: only the HTTP tracking API of an already running silo.
if (StringArg("--ingest") is { } ingestUrl)
{
    await IngestionBench.RunAsync(ingestUrl, StringArg("--admin-token") ?? "", TimeSpan.FromSeconds(baselineSeconds), Arg("--connections", 16));
    return 0;
}

// With --postgres (a connection string of a server where databases may be created): a fresh database, migrated.
var connectionString = postgres is null ? null : await PostgresBaseline.PrepareDatabaseAsync(postgres);

// --engine-scale USERS [--parked N]: 10 journeys of 10 steps, and users parked on a delay.
if (Arg("--engine-scale", 0) is > 0 and var scaleUsers)
{
    await EngineScaleBench.RunAsync(connectionString, scaleUsers, Arg("--parked", 0), concurrency);
    return 0;
}

await using var silo = await BenchSilo.StartAsync(connectionString);
var (grains, journeys) = (silo.Grains, silo.Journeys);

Console.WriteLine($"Journeys.Orleans bench — in-process silo, {(connectionString is null ? "embedded default (in-memory state)" : "PostgreSQL (durable state)")}, {Environment.ProcessorCount} cores");
Console.WriteLine($"users={users} concurrency={concurrency} destinations: recorder{(withList ? " + list" : "")}\n");

var (_, result) = await new JourneyBench(grains, journeys, concurrency, withList).RunAsync(users, emptyCalls);
if (deliveryPayloads > 0) await DeliveryBench.RunAsync(journeys, deliveryPayloads, concurrency, result.EventsPerSecond);
if (listSyncMembers > 0)
{
    if (connectionString is null) Console.WriteLine("\n--list-sync needs --postgres: remote list sync works on the member rows.");
    else await ListSyncBench.RunAsync(journeys, silo.Services.GetRequiredService<IListMemberRows>(), listSyncMembers);
}

await silo.StopAsync();

if (connectionString is not null)
    await PostgresBaseline.CompareAsync(connectionString, TimeSpan.FromSeconds(baselineSeconds), result.TransitionsPerSecond);
return 0;

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
