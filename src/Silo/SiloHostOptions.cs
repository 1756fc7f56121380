namespace Journeys.Orleans.Silo;

/// <summary>Where the silo runs (configuration section <c>Silo</c>).</summary>
public sealed class SiloHostOptions
{
    public const string SectionName = "Silo";

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "journeys";

    /// <summary>Identifies the service's stored state; keep it stable across deployments.</summary>
    public string ServiceId { get; set; } = "journeys";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// With a database: the host name or IP address other silos and clients reach this silo at (a container's
    /// service name, for example). Without one, silos always use 127.0.0.1.
    /// </summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>With a database: listen on every address, not only <see cref="AdvertisedHost"/> (containers).</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>
    /// Run with Orleans' Kubernetes hosting (pod name, pod IP, pods watched); unset: when POD_NAME and POD_NAMESPACE are
    /// set. Then the addresses come from the pod and <see cref="AdvertisedHost"/> and <see cref="ListenOnAnyAddress"/>
    /// are not used.
    /// </summary>
    public bool? Kubernetes { get; set; }

    /// <summary>
    /// How long a stop (SIGTERM, Ctrl+C) may take: requests in flight to destinations are answered and their outbox rows
    /// settled within it. Keep it below the pod's terminationGracePeriodSeconds, or the stop is cut short by SIGKILL.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem with the settings, each naming the setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        CheckId(ClusterId, nameof(ClusterId), problems);
        CheckId(ServiceId, nameof(ServiceId), problems);
        if (string.IsNullOrWhiteSpace(AdvertisedHost)) problems.Add("Silo:AdvertisedHost must not be empty.");
        CheckPort(SiloPort, nameof(SiloPort), problems);
        CheckPort(GatewayPort, nameof(GatewayPort), problems);
        if (ShutdownTimeout <= TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromMinutes(10))
            problems.Add($"Silo:ShutdownTimeout must be above 0 and at most 10 minutes (got {ShutdownTimeout}).");
        if (SiloPort == GatewayPort) problems.Add($"Silo:SiloPort and Silo:GatewayPort must differ (both {SiloPort}).");
        return problems;
    }

    private static void CheckId(string? value, string name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value)) problems.Add($"Silo:{name} must not be empty.");
        else if (value.Length > 150) problems.Add($"Silo:{name} must be at most 150 characters.");
    }

    private static void CheckPort(int port, string name, List<string> problems)
    {
        if (port is < 1 or > 65535) problems.Add($"Silo:{name} must be between 1 and 65535 (got {port}).");
    }
}
