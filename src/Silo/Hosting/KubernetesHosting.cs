using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Journeys.Orleans.Silo.Hosting;

/// <summary>
/// The silo in a Kubernetes pod (deploy/kubernetes): Orleans' Kubernetes hosting names the silo after its pod,
/// advertises the pod's IP, listens on every address, and tells the cluster at once when a silo's pod is gone.
/// Membership stays in PostgreSQL; this only adds what the pod knows.
/// </summary>
public static class KubernetesHosting
{
    /// <summary>Settings of Orleans' Kubernetes hosting (<see cref="KubernetesHostingOptions"/>), e.g. <c>Kubernetes__DeleteDefunctSiloPods</c>.</summary>
    public const string SectionName = "Kubernetes";

    /// <summary>
    /// In a pod when <c>Silo:Kubernetes</c> says so, or, unset, when the downward API gave the pod's name and namespace
    /// (the variables Orleans' Kubernetes hosting reads itself, so they are read from the environment here too).
    /// </summary>
    public static bool IsInPod(SiloHostOptions options) =>
        options.Kubernetes ?? (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodNameEnvironmentVariable))
                               && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(KubernetesHostingOptions.PodNamespaceEnvironmentVariable)));

    /// <summary>
    /// Sets only the ports and lets Kubernetes hosting choose the addresses. <c>ConfigureEndpoints(host, …)</c> would set
    /// the advertised address (<c>Silo:AdvertisedHost</c>, 127.0.0.1 by default), and Kubernetes hosting fills in the
    /// pod IP only where none was set: with both, every silo would advertise loopback to the others.
    /// </summary>
    public static ISiloBuilder UseJourneysKubernetesHosting(this ISiloBuilder silo, SiloHostOptions options, IConfiguration configuration)
    {
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = options.SiloPort;
            o.GatewayPort = options.GatewayPort;
        });
        // Its ClusterOptions step runs after the one of Silo:ClusterId/ServiceId (registered later), so ORLEANS_CLUSTER_ID
        // and ORLEANS_SERVICE_ID win when set. The manifests set neither and give Silo__ClusterId/ServiceId from the pod
        // labels that Kubernetes hosting selects silos by, so the ids and the labels cannot differ.
        return silo.UseKubernetesHosting(hosting => hosting.Bind(configuration.GetSection(SectionName)));
    }
}
