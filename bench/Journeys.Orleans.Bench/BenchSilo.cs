using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Bench;

/// <summary>The in-process silo the bench drives: in memory, or durable on PostgreSQL when a connection string is given.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private volatile bool _quiet;
    private bool _stopped;

    private BenchSilo(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
        Journeys = new JourneysClient(Grains);
    }

    public IGrainFactory Grains { get; }

    /// <summary>The silo's services (a store the bench writes to directly).</summary>
    public IServiceProvider Services => _host.Services;

    public IJourneysClient Journeys { get; }

    public static async Task<BenchSilo> StartAsync(string? connectionString, int siloPort = 21111, int gatewayPort = 40000)
    {
        BenchSilo? silo = null;
        var builder = Host.CreateApplicationBuilder();
        // A filter rule replaces the minimum level for the categories it covers, so it states the level itself.
        builder.Logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Polly", level => level >= (silo is { _quiet: true } ? LogLevel.Critical : LogLevel.Error))
            .AddFilter((_, level) => level >= (silo is { _quiet: true } ? LogLevel.Critical : LogLevel.Warning));
        builder.UseOrleans(orleans =>
        {
            orleans.UseLocalhostClustering(siloPort: siloPort, gatewayPort: gatewayPort, serviceId: "journeys-bench", clusterId: "journeys-bench");
            if (connectionString is null) orleans.UseJourneysInMemoryStorage();
            else orleans.UseJourneysPostgres(connectionString);
            // The bench's receivers listen on loopback, which outgoing calls may reach only when allowed.
            orleans.AddJourneys(configure: options => options.AllowedNetworks = ["127.0.0.0/8", "::1/128"]);
        });
        silo = new BenchSilo(builder.Build());
        await silo._host.StartAsync();
        return silo;
    }

    /// <summary>
    /// Stops the silo; <paramref name="quiet"/> drops its warnings while it does. An in-memory silo that many users
    /// went through logs one per user grain that can no longer reach the memory storage grains being stopped beside
    /// it (the state goes with the process anyway): tens of thousands of lines that would bury the figures.
    /// </summary>
    public async Task StopAsync(bool quiet = false)
    {
        _quiet = quiet;
        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped) await StopAsync();
        _host.Dispose();
    }
}
