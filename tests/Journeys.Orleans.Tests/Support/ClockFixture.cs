using Journeys.Orleans.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
namespace Journeys.Orleans.Tests.Support;

/// <summary>A cluster whose clock the tests move: delays of days pass in seconds.</summary>
public sealed class ClockFixture : InMemoryClusterFixture
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureJourneys(JourneysOptions options)
    {
        options.DestinationPartitions = 2;
        options.WakeCheckPeriod = TimeSpan.FromSeconds(1);
        options.LongestWakeWait = TimeSpan.FromSeconds(1);
    }

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<TimeProvider>(Clock);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }
}

[CollectionDefinition(Name)]
public sealed class ClockCollection : ICollectionFixture<ClockFixture>
{
    public const string Name = "clock";
}
