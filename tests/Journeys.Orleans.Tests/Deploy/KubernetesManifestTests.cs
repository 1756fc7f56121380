using System.Globalization;
using Journeys.Orleans.Tests.Support;
using YamlDotNet.RepresentationModel;
using static Journeys.Orleans.Tests.Deploy.KubernetesManifests;

namespace Journeys.Orleans.Tests.Deploy;

/// <summary>
/// deploy/kubernetes cannot be applied on the build machines; these checks keep it in step with the silo and with
/// docker-compose.yml: it parses, kustomize finds every file, it runs the same image and command, gives the settings
/// Orleans' Kubernetes hosting reads, and every probe asks a path the silo answers.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Base = Path.Combine(Folder, "base");
    private static readonly string TryIt = Path.Combine(Folder, "overlays", "try-it");

    [Fact]
    public void Every_file_parses_and_every_kustomization_names_files_that_exist_and_all_of_them()
    {
        Assert.NotEmpty(Files);
        var named = new HashSet<string>();
        foreach (var kustomization in Files.Where(f => Path.GetFileName(f) == "kustomization.yaml"))
        {
            var folder = Path.GetDirectoryName(kustomization)!;
            named.Add(kustomization);
            foreach (var resource in Sequence(Load(kustomization).Single(), "resources").Select(Text))
            {
                var path = Path.GetFullPath(Path.Combine(folder, resource));
                Assert.True(File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml")), $"{kustomization} names {resource}, which does not exist");
                named.Add(path);
            }
        }
        foreach (var file in Files)
        {
            Assert.Contains(file, named);
            foreach (var document in Load(file))
            {
                Assert.False(string.IsNullOrEmpty(TextAt(document, "apiVersion")), $"{file}: a document without apiVersion");
                Assert.False(string.IsNullOrEmpty(TextAt(document, "kind")), $"{file}: a document without kind");
                if (TextAt(document, "kind") != "Kustomization")
                    Assert.False(string.IsNullOrEmpty(TextAt(document, "metadata", "name")), $"{file}: a {TextAt(document, "kind")} without a name");
            }
        }
        Assert.Contains("Deployment", Objects(Base).Select(o => TextAt(o, "kind")));
        Assert.Contains("StatefulSet", Objects(TryIt).Select(o => TextAt(o, "kind")));
    }

    [Fact]
    public void The_deployment_runs_the_image_and_command_of_docker_compose()
    {
        var compose = Load(Path.Combine(Root, "docker-compose.yml")).Single();
        var silos = ((YamlMappingNode)compose["services"]).Children.Values.Where(s => At(s, "build") is not null).ToList();
        var container = SiloContainer(Objects(Base));

        Assert.Equal(2, silos.Count);
        Assert.All(silos, silo =>
        {
            Assert.Equal(TextAt(silo, "image"), TextAt(container, "image"));
            Assert.Equal(Sequence(silo, "command").Select(Text), Sequence(container, "command").Select(Text));
        });
        Assert.Equal(SiloProcess.Command, Sequence(container, "command").Select(Text));
        Assert.StartsWith("journeys-orleans:", TextAt(container, "image"));
    }

    [Fact]
    public void The_silos_know_their_pod_from_the_downward_API_and_their_ids_from_the_pod_labels()
    {
        var objects = Objects(Base);
        var container = SiloContainer(objects);
        var labels = (YamlMappingNode)At(Single(objects, "Deployment"), "spec", "template", "metadata", "labels")!;

        Assert.Equal("metadata.name", TextAt(Env(container, "POD_NAME"), "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.namespace", TextAt(Env(container, "POD_NAMESPACE"), "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("status.podIP", TextAt(Env(container, "POD_IP"), "valueFrom", "fieldRef", "fieldPath"));
        // Orleans' Kubernetes hosting selects the silo pods by these labels and the ClusterOptions ids.
        foreach (var (label, setting) in new[] { ("orleans/serviceId", "Silo__ServiceId"), ("orleans/clusterId", "Silo__ClusterId") })
        {
            Assert.False(string.IsNullOrEmpty(TextAt(labels, label)), $"the pod has no label {label}");
            Assert.Equal($"metadata.labels['{label}']", TextAt(Env(container, setting), "valueFrom", "fieldRef", "fieldPath"));
        }
    }

    [Fact]
    public void The_connection_string_comes_from_a_Secret_that_only_the_try_it_overlay_brings()
    {
        var container = SiloContainer(Objects(Base));
        var connection = Env(container, "ConnectionStrings__Journeys");
        var secretName = TextAt(connection, "valueFrom", "secretKeyRef", "name");
        var secretKey = TextAt(connection, "valueFrom", "secretKeyRef", "key");

        Assert.Null(At(connection, "value"));
        Assert.False(string.IsNullOrEmpty(secretName));
        Assert.False(string.IsNullOrEmpty(secretKey));
        Assert.DoesNotContain(Objects(Base), o => TextAt(o, "kind") == "Secret");
        Assert.DoesNotContain(Sequence(container, "env"), e => TextAt(e, "value") is { } value && value.Contains("Password", StringComparison.OrdinalIgnoreCase));
        var secret = Assert.Single(Objects(TryIt), o => TextAt(o, "kind") == "Secret" && TextAt(o, "metadata", "name") == secretName);
        Assert.Contains("Host=postgres;", TextAt(secret, "stringData", secretKey!));
    }

    [Fact]
    public void The_service_account_of_the_silos_may_watch_and_label_pods_as_Orleans_Kubernetes_hosting_does()
    {
        var objects = Objects(Base);
        var account = TextAt(Single(objects, "Deployment"), "spec", "template", "spec", "serviceAccountName");
        var binding = Single(objects, "RoleBinding");
        var role = Single(objects, "Role");
        var rule = Assert.Single(Sequence(role, "rules"));

        Assert.Equal(account, TextAt(Single(objects, "ServiceAccount"), "metadata", "name"));
        Assert.Contains(Sequence(binding, "subjects"), s => TextAt(s, "kind") == "ServiceAccount" && TextAt(s, "name") == account);
        Assert.Equal(TextAt(role, "metadata", "name"), TextAt(binding, "roleRef", "name"));
        Assert.Equal(["pods"], Sequence(rule, "resources").Select(Text));
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch" }, Sequence(rule, "verbs").Select(Text).ToHashSet());
        // Deleting pods of defunct silos is asked for in the settings exactly when the role allows it.
        Assert.Equal(
            Sequence(rule, "verbs").Select(Text).Contains("delete"),
            TextAt(Env(SiloContainer(objects), "Kubernetes__DeleteDefunctSiloPods"), "value") == "true");
    }

    [Fact]
    public void The_graceful_stop_fits_inside_the_termination_grace_period()
    {
        var deployment = Single(Objects(Base), "Deployment");
        var container = SiloContainer(Objects(Base));
        var grace = TimeSpan.FromSeconds(int.Parse(TextAt(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture));
        var shutdown = TimeSpan.Parse(TextAt(Env(container, "Silo__ShutdownTimeout"), "value")!, CultureInfo.InvariantCulture);
        var preStop = Sequence(container, "lifecycle", "preStop", "exec", "command").Select(Text).ToList();
        var pause = preStop.Count == 2 && preStop[0] == "sleep" ? TimeSpan.FromSeconds(int.Parse(preStop[1], CultureInfo.InvariantCulture)) : TimeSpan.Zero;

        // Longer than a delivery request may take (Journeys:WebhookTimeout, 10 s by default), shorter than the grace period.
        Assert.True(shutdown > TimeSpan.FromSeconds(10), $"Silo__ShutdownTimeout {shutdown}");
        Assert.True(pause + shutdown < grace, $"preStop {pause} + shutdown {shutdown} must end before SIGKILL at {grace}");
    }

    [Fact]
    public async Task Every_probe_asks_a_path_that_a_running_silo_answers_with_success()
    {
        var container = SiloContainer(Objects(Base));
        var probes = new[] { "startupProbe", "livenessProbe", "readinessProbe" }
            .Select(name => (Name: name, Probe: At(container, name)))
            .Where(p => p.Probe is not null)
            .ToList();
        var httpPort = Assert.Single(Sequence(container, "ports"), p => TextAt(p, "name") == "http");
        Assert.Equal(new Uri(TextAt(Env(container, "Urls"), "value")!.Replace("0.0.0.0", "127.0.0.1")).Port.ToString(CultureInfo.InvariantCulture), TextAt(httpPort, "containerPort"));
        Assert.Contains(probes, p => p.Name == "livenessProbe");
        Assert.Contains(probes, p => p.Name == "readinessProbe");

        await using var silo = SiloProcess.Start(connectionString: null);
        Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
        // As the kubelet asks: no redirects followed, so a path that only redirects does not count as an answer.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        foreach (var (name, probe) in probes)
        {
            Assert.Equal("http", TextAt(probe!, "httpGet", "port"));
            var path = TextAt(probe!, "httpGet", "path");
            Assert.StartsWith("/", path);
            var answer = await http.GetAsync(silo.Url + path);
            Assert.True(answer.IsSuccessStatusCode, $"{name} GET {path}: {(int)answer.StatusCode}");
        }
        // The same check fails for a path the silo does not serve.
        Assert.False((await http.GetAsync(silo.Url + "/health/not-a-probe")).IsSuccessStatusCode);
    }
}
