using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// A TestCluster whose clustering (ADO.NET membership, not the test membership), grain state and reminders are all
/// in PostgreSQL, with silos talking TCP on loopback. Clusters built with the same service id share their state,
/// as a restarted deployment would.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string ConnectionStringKey = "JourneysTestConnectionString";
    private const string HistoryFlushIntervalKey = "JourneysTestHistoryFlushInterval";

    private PostgresCluster(TestCluster cluster)
    {
        Cluster = cluster;
        Journeys = new JourneysClient(cluster.Client);
    }

    public TestCluster Cluster { get; }

    public IJourneysClient Journeys { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>A silo's services, for tests that use a store directly.</summary>
    public IServiceProvider SiloServices => Cluster.GetSiloServiceProvider(null!);

    /// <summary>The cluster's service id, which every row of its tables carries.</summary>
    public string ServiceId => Cluster.Options.ServiceId;

    /// <param name="historyFlushInterval">How often the silos flush their delivery and flow history (the default's 10 s when null).</param>
    public static async Task<PostgresCluster> StartAsync(string connectionString, string serviceId, short silos = 2, TimeSpan? historyFlushInterval = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties[ConnectionStringKey] = connectionString;
        if (historyFlushInterval is { } interval) builder.Properties[HistoryFlushIntervalKey] = interval.ToString("c");
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PostgresCluster(cluster);
    }

    /// <summary>Stops every silo gracefully, as a deployment's shutdown would.</summary>
    public async Task StopAsync() => await Cluster.StopAllSilosAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        catch (Exception)
        {
            // A test that killed silos leaves some that cannot stop cleanly; disposing still frees them.
        }
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.UseJourneysPostgres(silo.Configuration[ConnectionStringKey]!);
            silo.AddJourneys(configure: options =>
            {
                options.AllowedNetworks = [.. InMemoryClusterFixture.LoopbackNetworks];
                options.DestinationPartitions = 4;
                options.WebhookTimeout = TimeSpan.FromSeconds(5);
                options.RedeliveryDelay = TimeSpan.FromMilliseconds(200);
                options.ResumeReminderPeriod = TimeSpan.FromSeconds(2);
                if (silo.Configuration[HistoryFlushIntervalKey] is { } interval) options.HistoryFlushInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture);
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            // Declare a killed silo dead in seconds rather than the production defaults' half-minute.
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) =>
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = JourneysSiloBuilderExtensions.PostgresInvariant;
                o.ConnectionString = configuration[ConnectionStringKey];
            });
    }
}
