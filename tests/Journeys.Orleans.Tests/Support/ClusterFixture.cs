using Journeys.Orleans.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace Journeys.Orleans.Tests.Support;

/// <summary>The cluster most tests share: short timeouts and retries, every log line captured.</summary>
public sealed class ClusterFixture : InMemoryClusterFixture
{
    protected override void ConfigureJourneys(JourneysOptions options)
    {
        options.DestinationPartitions = 4;
        options.WebhookTimeout = TimeSpan.FromSeconds(2);
        options.RedeliveryDelay = TimeSpan.FromMilliseconds(200);
        options.RetryFirstDelay = TimeSpan.FromMilliseconds(100);
        options.RetryLongestDelay = TimeSpan.FromSeconds(2);
        options.CircuitBreakDuration = TimeSpan.FromSeconds(1);
    }

    protected override void ConfigureHost(InProcessTestClusterBuilder builder) =>
        builder.ConfigureSiloHost((_, host) => host.Logging.AddProvider(new CapturedLogs()).SetMinimumLevel(LogLevel.Debug));
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
