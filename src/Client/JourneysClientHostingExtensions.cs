using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

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
        options.ConnectionString ??= builder.Configuration.GetConnectionString("Journeys");
        configure?.Invoke(options);
        if (options.GatewayPort is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(configure), $"JourneysClient:GatewayPort must be between 1 and 65535 (got {options.GatewayPort}).");

        builder.UseOrleansClient(client =>
        {
            // The caller's trace (an HTTP request, a job) goes on through the grains to the receivers' traceparent.
            client.AddActivityPropagation();
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
                return;
            }
            client.Configure<ClusterOptions>(o => { o.ClusterId = options.ClusterId; o.ServiceId = options.ServiceId; });
            client.UseAdoNetClustering(o => { o.Invariant = "Npgsql"; o.ConnectionString = options.ConnectionString; });
        });
        builder.Services.AddSingleton<IJourneysClient>(services => new JourneysClient(services.GetRequiredService<IClusterClient>()));
        return builder;
    }
}
