using Journeys.Orleans.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Journeys.Orleans.Tests.Deploy;

/// <summary>The YAML documents of deploy/kubernetes and docker-compose.yml, read with YamlDotNet (no cluster, no kubectl).</summary>
public static class KubernetesManifests
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SiloProcess.SiloDll)!, "..", "..", "..", "..", ".."));

    public static string Folder { get; } = Path.Combine(Root, "deploy", "kubernetes");

    public static IReadOnlyList<string> Files { get; } =
        Directory.GetFiles(Folder, "*.yaml", SearchOption.AllDirectories).Concat(Directory.GetFiles(Folder, "*.yml", SearchOption.AllDirectories)).Order().ToList();

    /// <summary>Every document of a file; a file that is not YAML throws.</summary>
    public static IReadOnlyList<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    /// <summary>The objects of a kustomization folder and of the folders it includes, as kustomize would gather them.</summary>
    public static IReadOnlyList<YamlMappingNode> Objects(string folder)
    {
        var kustomization = Load(Path.Combine(folder, "kustomization.yaml")).Single();
        var objects = new List<YamlMappingNode>();
        foreach (var resource in Sequence(kustomization, "resources").Select(Text))
        {
            var path = Path.GetFullPath(Path.Combine(folder, resource));
            objects.AddRange(Directory.Exists(path) ? Objects(path) : Load(path));
        }
        return objects;
    }

    public static YamlMappingNode Single(IEnumerable<YamlMappingNode> objects, string kind) =>
        Assert.Single(objects, o => Text(o["kind"]) == kind);

    /// <summary>The node at a path of keys; null when a key is missing.</summary>
    public static YamlNode? At(YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)) return null;
            node = child;
        }
        return node;
    }

    public static string? TextAt(YamlNode node, params string[] keys) => At(node, keys) is YamlScalarNode scalar ? scalar.Value : null;

    public static IReadOnlyList<YamlNode> Sequence(YamlNode node, params string[] keys) =>
        At(node, keys) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static string Text(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value!;

    /// <summary>The silo container of the Deployment.</summary>
    public static YamlMappingNode SiloContainer(IEnumerable<YamlMappingNode> objects) =>
        (YamlMappingNode)Assert.Single(Sequence(Single(objects, "Deployment"), "spec", "template", "spec", "containers"));

    /// <summary>The container's environment variable of that name.</summary>
    public static YamlMappingNode Env(YamlMappingNode container, string name) =>
        (YamlMappingNode)Assert.Single(Sequence(container, "env"), e => TextAt(e, "name") == name);
}
