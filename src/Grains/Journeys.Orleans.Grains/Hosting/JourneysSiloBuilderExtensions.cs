using Journeys.Orleans.Catalog;
using Journeys.Orleans.Connectors;
using Journeys.Orleans.Delivery;
using Journeys.Orleans.Members;
using Journeys.Orleans.Persistence;
using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.SpaceIndex;
using Journeys.Orleans.Telemetry;
using Journeys.Orleans.Telemetry.History;
using Journeys.Orleans.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Journeys.Orleans.Hosting;

/// <summary>Registers the journeys grains' services on a silo.</summary>
public static class JourneysSiloBuilderExtensions
{
    /// <summary>The grain storage of the rarely-changing state: spaces, journeys, steps, destinations.</summary>
    public const string StorageName = "journeys";

    /// <summary>The in-memory grain storage users are written to when their activations end (embedded default).</summary>
    public const string UserStorageName = "journeys-users";

    /// <summary>The ADO.NET invariant of PostgreSQL's driver.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Adds connectors, options (bound from <paramref name="configuration"/>'s <c>Journeys</c> section when given,
    /// validated at start-up) and the clock. Storage, clustering and reminders are the host's choice:
    /// <see cref="UseJourneysInMemoryStorage"/> or <see cref="UseJourneysPostgres"/>.
    /// </summary>
    public static ISiloBuilder AddJourneys(
        this ISiloBuilder silo, IConfiguration? configuration = null, Action<JourneysOptions>? configure = null)
    {
        var options = silo.Services.AddOptions<JourneysOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(JourneysOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JourneysOptions>, JourneysOptionsValidator>());

        silo.Services.TryAddSingleton(TimeProvider.System);
        // The project's meter and the backlog its gauges read (see Telemetry/); IMeterFactory comes with AddMetrics.
        silo.Services.AddMetrics();
        silo.Services.TryAddSingleton<DeliveryBacklog>();
        // Deliveries and journey moves counted per minute, flushed every few seconds to the history store the pages chart.
        silo.Services.TryAddSingleton<HistoryAggregator>();
        silo.Services.TryAddSingleton<HistoryFlusher>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<HistoryFlusher>());
        silo.Services.TryAddSingleton<JourneysMetrics>();
        silo.Services.TryAddSingleton<PublishedCatalogs>();
        silo.Services.TryAddSingleton<PartitionHandOffs>();
        silo.Services.TryAddSingleton<StoredDestinations>();
        silo.Services.TryAddSingleton<Catalog.StoredDefinitions>();
        // Per attempt: a timeout, and a circuit breaker per receiving host so that a failing receiver is not hammered
        // and never slows another. The multi-hour retry schedule lives with the outbox, not here.
        silo.Services.AddHttpClient(WebhookConnector.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(OutgoingAddressPolicy.CreateHandler) // refuses internal addresses after DNS
            .AddResilienceHandler("journeys-webhook", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<JourneysOptions>>().Value;
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.8,
                    MinimumThroughput = 10,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = settings.CircuitBreakDuration,
                });
                pipeline.AddTimeout(settings.WebhookTimeout);
            })
            .SelectPipelineByAuthority();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventConnector, WebhookConnector>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventConnector, RecordingConnector>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventConnector, SegmentConnector>());
        return silo;
    }

    /// <summary>The embedded default: grain state and reminders in memory (lost when the silo stops).</summary>
    public static ISiloBuilder UseJourneysInMemoryStorage(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageName);
        silo.AddMemoryGrainStorage(UserStorageName);
        silo.Services.AddSingleton<IUserStore>(services => new MemoryUserStore(
            services.GetRequiredKeyedService<IGrainStorage>(UserStorageName), services.GetRequiredService<PartitionHandOffs>()));
        silo.UseInMemoryReminderService();
        silo.Services.AddSingleton<ISpaceIndex>(services => new GrainSpaceIndex(services.GetRequiredService<IGrainFactory>()));
        silo.Services.AddSingleton<IWakeUps, GrainStateWakeUps>();
        silo.Services.AddSingleton<IListMembers>(services => new GrainListMembers(services.GetRequiredService<IGrainFactory>()));
        silo.Services.AddSingleton(new EventOutboxStorage(null));
        silo.Services.AddSingleton<IHistoryStore, MemoryHistoryStore>();
        return silo;
    }

    /// <summary>
    /// Everything in PostgreSQL: clustering, the rarely-changing grain state and reminders through Orleans' ADO.NET
    /// providers; users (with their outbox, member and space index rows, one commit per call), list members and
    /// wake-ups through the project's group-committed stores. All share one connection pool. The schema must be in place
    /// (<see cref="SchemaMigrator"/>).
    /// </summary>
    public static ISiloBuilder UseJourneysPostgres(this ISiloBuilder silo, string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The hot statements never change their text: prepared once per connection, PostgreSQL skips parsing and
        // planning them on every commit. A connection string that says otherwise wins.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }
        // Nothing here changes a session's settings, so a connection going back to the pool needs no reset: without
        // this, every checkout cost five more statements, parsed each time.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        // Each statement is planned for its own arguments. A plan made once per connection (a generic plan) is made
        // with the statistics of that moment: on a fresh database, where every table is empty, that meant a scan of
        // all member rows per statement for the connection's whole life. Planning is paid once per batch of users.
        builder.ConnectionStringBuilder.Options ??= "-c plan_cache_mode=force_custom_plan";
        var dataSource = builder.Build();
        silo.Services.AddSingleton(dataSource);
        // The pool closes its connections when the silo has stopped, after the last membership and storage writes.
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new DataSourceCloser(dataSource));

        silo.UseAdoNetClustering(o => { o.Invariant = PostgresInvariant; o.DataSource = dataSource; });
        // Orleans' binary serializer: compact, version-tolerant through the state classes' [Id]s, no CLR type names stored.
        silo.AddAdoNetGrainStorage(StorageName, (OptionsBuilder<AdoNetGrainStorageOptions> storage) =>
            storage.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = PostgresInvariant;
                o.DataSource = dataSource;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        silo.UseAdoNetReminderService(o => { o.Invariant = PostgresInvariant; o.DataSource = dataSource; });

        silo.Services.AddSingleton(services => new PostgresGroupCommit(
            dataSource, services.GetRequiredService<JourneysMetrics>(), services.GetRequiredService<ILogger<PostgresGroupCommit>>()));
        silo.Services.AddSingleton<IUserStore>(services => new PostgresUserStore(
            dataSource,
            services.GetRequiredService<Serializer>(),
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            services.GetRequiredService<PartitionHandOffs>(),
            services.GetRequiredService<IGrainFactory>(),
            services.GetRequiredService<JourneysMetrics>(),
            services.GetRequiredService<ILogger<PostgresUserStore>>()));
        silo.Services.AddSingleton(services => new PostgresListMemberRows(
            dataSource,
            services.GetRequiredService<PostgresGroupCommit>(),
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        silo.Services.AddSingleton<IListMemberRows>(services => services.GetRequiredService<PostgresListMemberRows>());
        silo.Services.AddSingleton<IListMembers>(services => services.GetRequiredService<PostgresListMemberRows>());
        silo.Services.AddSingleton<ISpaceIndex>(services => new PostgresSpaceIndex(
            dataSource, services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        silo.Services.AddSingleton<IWakeUps>(services => new PostgresWakeUps(
            dataSource,
            services.GetRequiredService<PostgresGroupCommit>(),
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        // A singleton of its own, so the host disposes it (its batches of deletes run until then).
        silo.Services.AddSingleton(services => new PostgresEventOutbox(
            dataSource,
            services.GetRequiredService<PostgresGroupCommit>(),
            services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            services.GetRequiredService<JourneysMetrics>(),
            services.GetRequiredService<ILogger<PostgresEventOutbox>>()));
        silo.Services.AddSingleton(services => new EventOutboxStorage(services.GetRequiredService<PostgresEventOutbox>()));
        silo.Services.AddSingleton<IHistoryStore>(services => new PostgresHistoryStore(
            dataSource, services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        return silo;
    }

    private sealed class DataSourceCloser(NpgsqlDataSource dataSource) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(DataSourceCloser), ServiceLifecycleStage.First, _ => Task.CompletedTask, async _ => await dataSource.DisposeAsync());
    }
}
