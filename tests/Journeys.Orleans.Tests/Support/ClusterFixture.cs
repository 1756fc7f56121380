using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace Journeys.Orleans.Tests.Support;

/// <summary>One two-silo in-process cluster on the embedded default, shared by every test of the collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IJourneysClient Journeys { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) => host.Logging.AddProvider(new CapturedLogs()).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseJourneysInMemoryStorage();
            silo.AddJourneys(configure: options =>
            {
                options.DestinationPartitions = 4;
                options.CatalogReplicas = 4;
                options.WebhookTimeout = TimeSpan.FromSeconds(2);
                options.RedeliveryDelay = TimeSpan.FromMilliseconds(200);
                options.RetryFirstDelay = TimeSpan.FromMilliseconds(100);
                options.RetryLongestDelay = TimeSpan.FromSeconds(2);
                options.CircuitBreakDuration = TimeSpan.FromSeconds(1);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Journeys = new JourneysClient(Cluster.Client);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
