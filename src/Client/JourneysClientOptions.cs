namespace Journeys.Orleans.Client;

/// <summary>How the client library finds the cluster (configuration section <c>JourneysClient</c>).</summary>
public sealed class JourneysClientOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "JourneysClient";

    /// <summary>The cluster id the silos run with.</summary>
    public string ClusterId { get; set; } = "journeys";

    /// <summary>The service id the silos run with.</summary>
    public string ServiceId { get; set; } = "journeys";

    /// <summary>
    /// The cluster's PostgreSQL connection string: gateways are found in its membership table. When empty, the
    /// client connects to a silo on this machine (embedded default). Also read from <c>ConnectionStrings:Journeys</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The gateway port of the local silo (embedded default clustering).</summary>
    public int GatewayPort { get; set; } = 30000;
}
