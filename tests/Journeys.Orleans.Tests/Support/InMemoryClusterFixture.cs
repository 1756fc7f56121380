using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Orleans.TestingHost;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// A two-silo in-process cluster on the embedded default, shared by every test of a collection. Subclasses say how
/// the silos differ.
/// </summary>
public abstract class InMemoryClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IJourneysClient Journeys { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Where the tests' receivers listen: allowed for outgoing calls in every test cluster and silo process.</summary>
    public static IReadOnlyList<string> LoopbackNetworks { get; } = ["127.0.0.0/8", "::1/128"];

    /// <summary>Settings of the journeys grains on these silos.</summary>
    protected abstract void ConfigureJourneys(JourneysOptions options);

    /// <summary>Anything else the silos or their hosts need.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            ConfigureSilo(silo);
            silo.UseJourneysInMemoryStorage();
            silo.AddJourneys(configure: options =>
            {
                // The tests' receivers listen on loopback, which outgoing calls may reach only when allowed.
                options.AllowedNetworks = [.. LoopbackNetworks];
                ConfigureJourneys(options);
            });
        });
        ConfigureHost(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Journeys = new JourneysClient(Cluster.Client);
    }

    /// <summary>Configures the silo hosts (logging, for example).</summary>
    protected virtual void ConfigureHost(InProcessTestClusterBuilder builder)
    {
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
