using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Journeys.Orleans.Client;

/// <summary>Adds the Journeys.Orleans client to a .NET host.</summary>
public static class JourneysClientHostingExtensions
{
    /// <summary>
    /// Connects the host to the Journeys.Orleans cluster (settings from the <c>JourneysClient</c> configuration
    /// section, then <paramref name="configure"/>) and registers <see cref="IJourneysClient"/>.
    /// </summary>
    public static IHostApplicationBuilder AddJourneysClient(this IHostApplicationBuilder builder, Action<JourneysClientOptions>? configure = null)
    {
        var options = builder.Configuration.GetSection(JourneysClientOptions.SectionName).Get<JourneysClientOptions>() ?? new JourneysClientOptions();
        configure?.Invoke(options);
        if (options.GatewayPort is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(configure), $"JourneysClient:GatewayPort must be between 1 and 65535 (got {options.GatewayPort}).");

        builder.UseOrleansClient(client =>
            client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId));
        builder.Services.AddSingleton<IJourneysClient>(services => new JourneysClient(services.GetRequiredService<IClusterClient>()));
        return builder;
    }
}
