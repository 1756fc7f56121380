using System.Text.RegularExpressions;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>docker-compose.yml cannot run on the build machines; these checks keep it in step with what the tests run.</summary>
public sealed class DockerComposeTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SiloProcess.SiloDll)!, "..", "..", "..", "..", ".."));

    private static string Compose => File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));

    [Fact]
    public void Every_silo_runs_the_command_the_tests_start()
    {
        var expected = "command: [" + string.Join(", ", SiloProcess.Command.Select(part => $"\"{part}\"")) + "]";
        var commands = Regex.Matches(Compose, @"^\s+command: .*$", RegexOptions.Multiline).Select(m => m.Value.Trim()).ToList();

        Assert.Equal(2, commands.Count);
        Assert.All(commands, command => Assert.Equal(expected, command));
        Assert.Contains("CMD [" + string.Join(", ", SiloProcess.Command.Select(part => $"\"{part}\"")) + "]", File.ReadAllText(Path.Combine(Root, "Dockerfile")));
    }

    [Fact]
    public void Silos_get_the_settings_the_silo_reads()
    {
        foreach (var setting in new[] { "ConnectionStrings__Journeys", "Silo__AdvertisedHost", "Silo__ListenOnAnyAddress", "Urls" })
            Assert.Equal(2, Regex.Matches(Compose, $@"^\s+{setting}:", RegexOptions.Multiline).Count);
        Assert.Contains("condition: service_healthy", Compose);
        Assert.Matches(@"""127\.0\.0\.1:8080:8080""", Compose);
    }
}
