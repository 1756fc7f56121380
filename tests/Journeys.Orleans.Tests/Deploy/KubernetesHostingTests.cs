using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Deploy;

/// <summary>
/// When the silo switches to Orleans' Kubernetes hosting. The hosting itself needs a Kubernetes API server, which the
/// build machines do not have; these check the switch with the real silo process.
/// </summary>
public sealed class KubernetesHostingTests
{
    private static readonly Dictionary<string, string> Pod = new()
    {
        ["POD_NAME"] = "journeys-orleans-0",
        ["POD_NAMESPACE"] = "journeys",
    };

    [Fact]
    public async Task In_a_pod_without_a_database_the_silo_refuses_to_start_rather_than_be_a_cluster_of_its_own()
    {
        await using var silo = SiloProcess.Start(connectionString: null, Pod);

        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("In Kubernetes the silo needs a database", silo.Output);
    }

    [Fact]
    public async Task Silo_Kubernetes_false_keeps_the_silo_on_loopback_although_the_pod_variables_are_set()
    {
        await using var silo = SiloProcess.Start(connectionString: null, new Dictionary<string, string>(Pod) { ["Silo__Kubernetes"] = "false" });

        Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
        await using var client = await silo.ConnectClientAsync();
        Assert.Empty(await client.Journeys.ListJourneysAsync());
    }
}
