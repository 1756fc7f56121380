using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Journeys.Orleans.Tests.Support;

/// <summary>A two-silo cluster whose clock the tests move: delays of days pass in seconds.</summary>
public sealed class ClockFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IJourneysClient Journeys { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.UseJourneysInMemoryStorage();
            silo.AddJourneys(configure: options =>
            {
                options.DestinationPartitions = 2;
                options.CatalogReplicas = 2;
                options.WakeCheckPeriod = TimeSpan.FromSeconds(1);
                options.LongestWakeWait = TimeSpan.FromSeconds(1);
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
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
public sealed class ClockCollection : ICollectionFixture<ClockFixture>
{
    public const string Name = "clock";
}
