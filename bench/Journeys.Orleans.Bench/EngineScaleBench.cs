using System.Diagnostics;
using Journeys.Orleans.Client;
using Journeys.Orleans.Engine;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Configuration;

namespace Journeys.Orleans.Bench;

/// <summary>
/// <c>--engine-scale USERS --parked N</c>: events per second through the engine with 10 published journeys of 10 steps
/// each (beside the same events in a space with no journeys, and beside the pure engine without Orleans), and what
/// N users parked on a one-day delay cost: activations, memory, database rows and reminders, and the time to wake them
/// all once the day has passed on a clock the bench moves.
/// </summary>
public static class EngineScaleBench
{
    private const string Space = "spa_bench_scale";
    private const string EmptySpace = "spa_bench_empty";
    private static readonly string[] UserEvents = ["Start", "A", "B", "C"];

    public static async Task RunAsync(string? connectionString, int users, int parked, int concurrency)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Polly", LogLevel.Error);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: 21112, gatewayPort: 40001, serviceId: "journeys-bench-scale", clusterId: "journeys-bench-scale");
            if (connectionString is null) silo.UseJourneysInMemoryStorage();
            else silo.UseJourneysPostgres(connectionString);
            silo.AddJourneys(configure: options =>
            {
                options.AllowedNetworks = ["127.0.0.0/8", "::1/128"];
                options.WakeCheckPeriod = TimeSpan.FromSeconds(1);
                options.LongestWakeWait = TimeSpan.FromSeconds(1);
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var journeys = new JourneysClient(grains);

        Console.WriteLine($"Journeys.Orleans engine-scale bench — in-process silo, {(connectionString is null ? "embedded default (in-memory state)" : "PostgreSQL (durable state)")}, {Environment.ProcessorCount} cores\n");

        var catalog = await PublishTenJourneysAsync(journeys);
        var pure = PureEngine(catalog, Math.Min(users, 20_000));
        await SendAsync(journeys, EmptySpace, "warm", 200, concurrency);
        await SendAsync(journeys, Space, "warm", 200, concurrency);
        var empty = await SendAsync(journeys, EmptySpace, "u", users, concurrency);
        var tenByTen = await SendAsync(journeys, Space, "u", users, concurrency);
        Console.WriteLine($"baseline  events, space with no journeys   {empty,10:N0} events/s  ({users:N0} users × {UserEvents.Length} events, {concurrency} in flight)");
        Console.WriteLine($"engine    events, 10 journeys × 10 steps   {tenByTen,10:N0} events/s  ({tenByTen / empty:P0} of the baseline)");
        Console.WriteLine($"engine    pure JourneyEngine, one thread   {pure,10:N0} events/s  (no Orleans, no storage: the evaluation alone)");

        if (parked > 0) await ParkAsync(host.Services, journeys, grains, clock, connectionString, parked, concurrency);
        await host.StopAsync();
    }

    /// <summary>
    /// 10 journeys of 10 steps: wait for A, send, a true/false split on the plan into two sends that merge into a
    /// wait for B, a randomized split into two sends, and a wait for C that ends the path.
    /// </summary>
    private static async Task<PublishedCatalog> PublishTenJourneysAsync(IJourneysClient journeys)
    {
        for (var j = 0; j < 10; j++)
        {
            StepDocument Step(string reference, StepKind kind, string? next = null, Condition? condition = null, IReadOnlyList<StepBranch>? branches = null) =>
                new() { Step = new StepDefinition { Name = $"J{j} {reference}", Ref = reference, Kind = kind, Next = next, Condition = condition, Branches = branches ?? [] } };
            var journey = await journeys.ImportJourneyAsync(new JourneyDocument
            {
                Journey = new JourneyDefinition { Name = $"Scale {j}", EntryCondition = Condition.Performed("Start") },
                Steps =
                [
                    Step("wait-a", StepKind.Condition, condition: Condition.Performed("A")),
                    Step("sent", StepKind.SendToDestinations),
                    Step("plan", StepKind.TrueFalseSplit, condition: Condition.TraitIs("plan", "pro"),
                        branches: [new StepBranch { Name = "pro", Next = "pro" }, new StepBranch { Name = "free", Next = "free" }]),
                    Step("pro", StepKind.SendToDestinations, next: "wait-b"),
                    Step("free", StepKind.SendToDestinations, next: "wait-b"),
                    Step("wait-b", StepKind.Condition, condition: Condition.Performed("B")),
                    Step("ab", StepKind.RandomizedSplit, branches:
                        [new StepBranch { Name = "a", Percent = 50, Next = "variant-a" }, new StepBranch { Name = "b", Percent = 50, Next = "variant-b" }]),
                    Step("variant-a", StepKind.SendToDestinations, next: "wait-c"),
                    Step("variant-b", StepKind.SendToDestinations, next: "wait-c"),
                    Step("wait-c", StepKind.Condition, next: StepRefs.End, condition: Condition.Performed("C")),
                ],
            }, Space);
            await journeys.PublishAsync(journey.Id);
        }
        return new PublishedCatalog { SpaceId = Space, Version = 1, Journeys = await journeys.ListJourneysAsync(Space) };
    }

    private static double PureEngine(PublishedCatalog catalog, int users)
    {
        var stopwatch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        for (var u = 0; u < users; u++)
        {
            var user = new UserState();
            var userKey = $"u:pure-{u}";
            foreach (var name in UserEvents)
            {
                var call = new TrackEvent { SpaceId = Space, UserId = userKey[2..], Event = name };
                JourneyEngine.ApplyTrack(user, call, now, catalog);
                JourneyEngine.Advance(user, catalog, userKey, now, call, []);
            }
        }
        return users * UserEvents.Length / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<double> SendAsync(IJourneysClient journeys, string spaceId, string prefix, int users, int concurrency)
    {
        var stopwatch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < users)
            {
                foreach (var name in UserEvents)
                    await journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = $"{prefix}-{index}", Event = name });
            }
        }));
        return users * UserEvents.Length / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task ParkAsync(
        IServiceProvider services, IJourneysClient journeys, IGrainFactory grains, FakeTimeProvider clock, string? connectionString, int parked, int concurrency)
    {
        const string parkSpace = "spa_bench_parked";
        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition { Name = "Parked", EntryCondition = Condition.Performed("Park") }, parkSpace);
        await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Wait a day", Kind = StepKind.Delay, Delay = TimeSpan.FromDays(1) });
        var after = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "A day later", Kind = StepKind.SendToDestinations });
        await journeys.PublishAsync(journey.Id);
        var management = grains.GetGrain<IManagementGrain>(0);

        await management.ForceActivationCollection(TimeSpan.Zero);
        var heapBefore = Heap();
        var activationsBefore = await management.GetTotalActivationCount();

        var stopwatch = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < parked)
            {
                await journeys.TrackAsync(new TrackEvent { SpaceId = parkSpace, UserId = $"parked-{index}", Event = "Park" });
                // The bench parks users faster than the default idle time (15 minutes) lets the runtime collect them.
                if (index % 50_000 == 49_999) await management.ForceActivationCollection(TimeSpan.FromSeconds(10));
            }
        }));
        var parkSeconds = stopwatch.Elapsed.TotalSeconds;

        // Users waiting on a delay need no activation: let the runtime collect every idle one, as it would after its idle time.
        await management.ForceActivationCollection(TimeSpan.Zero);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var activations = await management.GetTotalActivationCount();
        var heap = Heap();
        var waiting = (await journeys.GetStepCountsAsync(journey.Id))[0].Members;

        Console.WriteLine();
        Console.WriteLine($"parked    users entered the delay          {parked / parkSeconds,10:N0} users/s  ({parked:N0} users in {parkSeconds:N1} s; {waiting:N0} waiting in the delay)");
        Console.WriteLine($"parked    activations while they wait      {activations,10:N0}  (before parking: {activationsBefore:N0}; wake-up buckets are per minute × {services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JourneysOptions>>().Value.WakePartitions} partitions)");
        Console.WriteLine($"parked    managed heap growth              {(heap - heapBefore) / 1024.0 / 1024.0,10:N0} MiB  ({(heap - heapBefore) / (double)parked:N0} bytes per parked user, state included when in memory)");
        if (connectionString is not null)
        {
            await using var data = NpgsqlDataSource.Create(connectionString);
            async Task<long> Count(string sql) => (long)(await data.CreateCommand(sql).ExecuteScalarAsync())!;
            Console.WriteLine($"parked    rows: user states                {await Count("SELECT count(*) FROM journeys_grain_state"),10:N0}  ({await Count("SELECT coalesce(sum(length(payload)), 0) FROM journeys_grain_state") / Math.Max(parked, 1):N0} bytes per row on average)");
            Console.WriteLine($"parked    rows: wake-up bucket entries     {await Count("SELECT count(*) FROM journeys_wake_ups"),10:N0}  (one per waiting user)");
            Console.WriteLine($"parked    rows: space index + directory    {await Count("SELECT count(*) FROM journeys_space_index"),10:N0}  (per user: its step, and the space's user list)");
            Console.WriteLine($"parked    reminders                        {await Count("SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'wake'"),10:N0}");
        }

        stopwatch.Restart();
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        long moved = 0;
        while (moved < parked && stopwatch.Elapsed < TimeSpan.FromMinutes(30))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            moved = (await journeys.GetStepCountsAsync(journey.Id))[1].Members;
            if ((int)stopwatch.Elapsed.TotalSeconds % 10 == 0) await management.ForceActivationCollection(TimeSpan.FromSeconds(10));
        }
        var wakeSeconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"parked    woken and moved on               {moved / wakeSeconds,10:N0} users/s  ({moved:N0} of {parked:N0} in {wakeSeconds:N1} s after the day passed; {after.Name})");
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
