using System.Diagnostics;

namespace Journeys.Orleans.Bench;

/// <summary>
/// The built silo (<c>dotnet Journeys.Orleans.Silo.dll</c>, as docker-compose runs it) started as its own process with
/// settings in environment variables, as the tests' SiloProcess does; the last lines of its output are kept for errors.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 200;
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private SiloProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>
    /// src/Silo/bin/Release/net10.0/Journeys.Orleans.Silo.dll of the checkout the bench was built in
    /// (bench/Journeys.Orleans.Bench/bin/&lt;Configuration&gt;/net10.0/).
    /// </summary>
    public static string DefaultDll
    {
        get
        {
            var benchBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var root = benchBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Path.Combine(root, "src", "Silo", "bin", "Release", "net10.0", "Journeys.Orleans.Silo.dll");
        }
    }

    public static SiloProcess Start(string dll, IReadOnlyDictionary<string, string> settings)
    {
        var httpPort = LoopbackHttp.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["Urls"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Silo__SiloPort"] = LoopbackHttp.FreePort().ToString();
        start.Environment["Silo__GatewayPort"] = LoopbackHttp.FreePort().ToString();
        foreach (var (name, value) in settings) start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(process, $"http://127.0.0.1:{httpPort}");
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits until the silo answers <c>/health</c>; false when it did not within <paramref name="timeout"/> or exited.</summary>
    public async Task<bool> WaitUntilServingAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(Url + "/health")).IsSuccessStatusCode) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        return false;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept) _output.Dequeue();
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
}
