using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Journeys.Orleans.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// The real silo executable (<c>dotnet Journeys.Orleans.Silo.dll</c>, as docker-compose runs it) started with
/// settings in environment variables, its output captured.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, string url, int gatewayPort, string clusterId)
    {
        _process = process;
        Url = url;
        GatewayPort = gatewayPort;
        ClusterId = clusterId;
    }

    public string Url { get; }

    public int GatewayPort { get; }

    public string ClusterId { get; }

    /// <summary>The command that starts a silo, run in the folder of the built silo: docker-compose runs the same.</summary>
    public static IReadOnlyList<string> Command { get; } = ["dotnet", "Journeys.Orleans.Silo.dll"];

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static string SiloDll
    {
        get
        {
            // tests/Journeys.Orleans.Tests/bin/<Configuration>/net10.0/ → src/Silo/bin/<Configuration>/net10.0/
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = testBin.Parent!.Name;
            var root = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "Silo", "bin", configuration, "net10.0", "Journeys.Orleans.Silo.dll");
        }
    }

    public static SiloProcess Start(string? connectionString, params string[] arguments) =>
        Start(connectionString, new Dictionary<string, string>(), arguments);

    public static SiloProcess Start(string? connectionString, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var httpPort = FreePort();
        var gatewayPort = FreePort();
        var clusterId = "process-" + Guid.NewGuid().ToString("N")[..8];
        var start = new ProcessStartInfo(Command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(SiloDll)!,
        };
        foreach (var part in Command.Skip(1)) start.ArgumentList.Add(part);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Silo__SiloPort"] = FreePort().ToString();
        start.Environment["Silo__GatewayPort"] = gatewayPort.ToString();
        start.Environment["Silo__ClusterId"] = clusterId;
        if (connectionString is not null) start.Environment["ConnectionStrings__Journeys"] = connectionString;
        // The tests' receivers listen on loopback; a test that needs another list names its own networks.
        if (!settings.Keys.Any(k => k.StartsWith("Journeys__AllowedNetworks", StringComparison.Ordinal)))
        {
            for (var i = 0; i < InMemoryClusterFixture.LoopbackNetworks.Count; i++)
                start.Environment[$"Journeys__AllowedNetworks__{i}"] = InMemoryClusterFixture.LoopbackNetworks[i];
        }
        foreach (var (name, value) in settings) start.Environment[name] = value;

        return Launch(start, $"http://127.0.0.1:{httpPort}", gatewayPort, clusterId);
    }

    /// <summary>Starts the silo again as it was started (same ports, cluster and settings): a restart after a crash.</summary>
    public SiloProcess Restart()
    {
        if (!_process.HasExited) throw new InvalidOperationException("The silo is still running.");
        return Launch(_process.StartInfo, Url, GatewayPort, ClusterId);
    }

    /// <summary>Kills the process at once (SIGKILL, as kill -9): no shutdown, its membership row stays Active.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM, as Kubernetes and docker stop do: the host stops gracefully within its shutdown timeout.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} exited with {kill.ExitCode}");
    }

    private static SiloProcess Launch(ProcessStartInfo start, string url, int gatewayPort, string clusterId)
    {
        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(process, url, gatewayPort, clusterId);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (silo._output) silo._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (silo._output) silo._output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until the silo answers <c>/health</c>; false when it did not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilServingAsync(TimeSpan timeout)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(Url + "/health")).IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>The exit code, once the process ended by itself (null when it was still running at the timeout).</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            _process.WaitForExit();
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A .NET client connected to this silo through the client library, as a service would add it.</summary>
    public async Task<ClientConnection> ConnectClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddJourneysClient(o =>
        {
            o.GatewayPort = GatewayPort;
            o.ClusterId = ClusterId;
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ClientConnection(host);
    }

    /// <summary>A client host connected to a silo process; disposing it disconnects.</summary>
    public sealed class ClientConnection(IHost host) : IAsyncDisposable
    {
        public IJourneysClient Journeys { get; } = host.Services.GetRequiredService<IJourneysClient>();

        /// <summary>The grains behind the client, for what tests wait on that the client does not show.</summary>
        public IGrainFactory Grains { get; } = host.Services.GetRequiredService<IClusterClient>();

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
