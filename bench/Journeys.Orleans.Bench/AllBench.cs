using System.Globalization;
using Journeys.Orleans.Hosting;

namespace Journeys.Orleans.Bench;

/// <summary>Settings of <c>--all</c>; the time caps keep the whole run under 10 minutes even when delivery is slow.</summary>
internal sealed record AllOptions(
    string Postgres,
    int Users,
    int Concurrency,
    int EmptyCalls,
    bool WithList,
    TimeSpan BaselineFor,
    int WebhookPayloads,
    TimeSpan DrainAtMost,
    TimeSpan LatencyFor,
    TimeSpan HttpWarmUpFor,
    TimeSpan HttpFor,
    TimeSpan HttpWaitAtMost,
    int HttpConnections,
    string SiloDll);

/// <summary>
/// The five scenarios of the bench contract, each beside its own ceiling, ending with one <c>RESULT name=value</c> line
/// per figure (invariant culture) for scripts to read.
/// </summary>
internal static class AllBench
{
    /// <summary>The receiver's answer time in scenario 3: long enough that in-flight requests, not the CPU, bound delivery.</summary>
    private static readonly TimeSpan SlowReceiver = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(AllOptions options)
    {
        if (!File.Exists(options.SiloDll))
        {
            // Checked first so a missing build does not surface after minutes of other figures.
            Console.Error.WriteLine($"--all starts silo processes from {options.SiloDll}: build it first (dotnet build src/Silo -c Release) or pass --silo-dll.");
            return 2;
        }
        Console.WriteLine($"Journeys.Orleans bench --all — {Environment.ProcessorCount} cores");

        Console.WriteLine("\n== 1. in-process silo on PostgreSQL (durable state), demo journey");
        var database = await PostgresBaseline.PrepareDatabaseAsync(options.Postgres, "all_");
        JourneyResult durable;
        LatencyResult latency;
        // Receivers outlive the silos that send to them: a silo stopping with payloads in flight would otherwise log
        // refused connections.
        await using (var receiver = await WebhookReceiver.StartAsync())
        await using (var silo = await StartSiloAsync(database))
        {
            (_, durable) = await new JourneyBench(silo.Grains, silo.Journeys, options.Concurrency, options.WithList).RunAsync(options.Users, options.EmptyCalls);

            Console.WriteLine("\n== 4. same silo: event -> webhook latency at half the highest sustained rate (receiver answers at once)");
            // The highest sustained rate is the lower of what the engine takes (scenario 1) and what delivery drains.
            var drain = await DeliveryBench.DrainAsync(silo.Journeys, receiver, payloads: 2_000, batchSize: null, options.Concurrency, options.DrainAtMost);
            Console.WriteLine($"delivery  drained after a pause      {drain.PerSecond,12:N0} payloads/s  ({drain.Arrived:N0} of {drain.Queued:N0} in {drain.Seconds:N1} s)");
            var sustained = Math.Min(durable.EventsPerSecond, drain.PerSecond);
            latency = await DeliveryBench.LatencyAtAsync(silo.Journeys, receiver, Math.Max(10, sustained / 2), options.LatencyFor, TimeSpan.FromSeconds(60));
            latency.Print();
        }
        var ceiling = await PostgresBaseline.CompareAsync(database, options.BaselineFor, durable.TransitionsPerSecond);

        Console.WriteLine("\n== 2. in-process silo in memory, demo journey");
        double emptyRate;
        JourneyResult memory;
        DrainResult slow;
        await using (var receiver = await WebhookReceiver.StartAsync(SlowReceiver))
        await using (var silo = await StartSiloAsync(null))
        {
            (emptyRate, memory) = await new JourneyBench(silo.Grains, silo.Journeys, options.Concurrency, options.WithList).RunAsync(options.Users, options.EmptyCalls);

            Console.WriteLine($"\n== 3. same silo: one webhook destination (default settings) to a receiver answering after {SlowReceiver.TotalMilliseconds:N0} ms");
            slow = await DeliveryBench.DrainAsync(silo.Journeys, receiver, options.WebhookPayloads, batchSize: null, options.Concurrency, options.DrainAtMost);
            await silo.StopAsync(quiet: true);
        }
        var limit = DeliveryInFlightLimit();
        var limitPerSecond = limit / SlowReceiver.TotalSeconds;
        Console.WriteLine($"delivery  drained after a pause      {slow.PerSecond,12:N0} payloads/s  ({slow.Arrived:N0} of {slow.Queued:N0} in {slow.Seconds:N1} s{(slow.Complete ? "" : ", measuring capped")})");
        Console.WriteLine($"ceiling   in-flight limit / 50 ms    {limitPerSecond,12:N0} payloads/s  ({limit} requests in flight per destination)");
        Console.WriteLine($"ratio     drained / ceiling          {slow.PerSecond / limitPerSecond,12:P1}");

        Console.WriteLine($"\n== 5. two silo processes on PostgreSQL, POST /v1/batch for {options.HttpFor.TotalSeconds:N0} s after {options.HttpWarmUpFor.TotalSeconds:N0} s of warm-up, webhook to the bench");
        var http = await TwoSiloBench.RunAsync(options.Postgres, options.SiloDll, options.HttpWarmUpFor, options.HttpFor, options.HttpWaitAtMost, options.HttpConnections);
        http.Print(options.HttpConnections, options.HttpFor.TotalSeconds);

        Console.WriteLine();
        Result("durable_transitions_per_s", durable.TransitionsPerSecond);
        Result("durable_ceiling_rows_per_s", ceiling);
        Result("memory_transitions_per_s", memory.TransitionsPerSecond);
        Result("empty_grain_calls_per_s", emptyRate);
        Result("webhook50_delivered_per_s", slow.PerSecond);
        Result("webhook50_limit_per_s", limitPerSecond);
        Result("p99_event_to_receipt_ms", latency.P99);
        Result("http_two_silos_events_per_s", http.Ingest.PerSecond);
        Result("http_two_silos_p99_ms", http.P99);
        return 0;

        // Free ports: other silos (tests, other benches) may hold the default ones on a shared machine.
        static Task<BenchSilo> StartSiloAsync(string? connectionString) =>
            BenchSilo.StartAsync(connectionString, LoopbackHttp.FreePort(), LoopbackHttp.FreePort());
    }

    /// <summary>
    /// Requests one destination may have in flight across the cluster. Read by name so the bench builds on code from
    /// before <c>DeliveryInFlightLimit</c>; there each partition sent one request at a time.
    /// </summary>
    private static int DeliveryInFlightLimit()
    {
        var options = new JourneysOptions();
        return options.DeliveryInFlightLimit;
    }

    private static void Result(string name, double value) =>
        Console.WriteLine($"RESULT {name}={value.ToString("0.0", CultureInfo.InvariantCulture)}");
}
