using Journeys.Orleans.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Hosting;

/// <summary>Registers the journeys grains' services on a silo.</summary>
public static class JourneysSiloBuilderExtensions
{
    /// <summary>The grain storage every journeys grain uses.</summary>
    public const string StorageName = "journeys";

    /// <summary>
    /// Adds connectors, options (bound from <paramref name="configuration"/>'s <c>Journeys</c> section when given,
    /// validated at start-up) and the clock. Storage and reminders are the host's choice.
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
        silo.Services.AddHttpClient(WebhookConnector.HttpClientName)
            .ConfigureHttpClient((services, client) =>
                client.Timeout = services.GetRequiredService<IOptions<JourneysOptions>>().Value.WebhookTimeout);
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventConnector, WebhookConnector>());
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventConnector, RecordingConnector>());
        return silo;
    }

    /// <summary>The embedded default: grain state and reminders in memory (lost when the silo stops).</summary>
    public static ISiloBuilder UseJourneysInMemoryStorage(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageName);
        silo.UseInMemoryReminderService();
        return silo;
    }
}
