using System.Diagnostics;
using System.Text;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// Runs /usr/bin/chromium headless as a child process (test.sh installs the Debian package <c>chromium</c>): the DOM a
/// page has after its scripts ran, or a PNG screenshot. One browser at a time, each with a new empty profile, killed
/// with its children when it overruns the timeout.
/// </summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The rendered DOM of <paramref name="url"/> (<c>--dump-dom</c>).</summary>
    public static async Task<string> DumpDomAsync(string url, TimeSpan? timeout = null) =>
        (await RunAsync(["--dump-dom", url], timeout)).Output;

    /// <summary>The DOM of <paramref name="url"/> once its scripts had <paramref name="scriptTime"/> of (virtual) time to run.</summary>
    public static async Task<string> DumpScriptedDomAsync(string url, TimeSpan scriptTime, TimeSpan? timeout = null) =>
        (await RunAsync([$"--virtual-time-budget={(int)scriptTime.TotalMilliseconds}", "--dump-dom", url], timeout)).Output;

    /// <summary>A PNG screenshot of <paramref name="url"/> in a window of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static async Task<byte[]> ScreenshotAsync(string url, int width = 1280, int height = 900, TimeSpan? timeout = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"journeys-shot-{Guid.NewGuid():N}.png");
        try
        {
            var run = await RunAsync([$"--screenshot={file}", $"--window-size={width},{height}", "--hide-scrollbars", url], timeout);
            if (!File.Exists(file)) throw new InvalidOperationException($"Chromium wrote no screenshot:\n{run.Errors}");
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Opens <paramref name="url"/> in a window of <paramref name="width"/> × <paramref name="height"/>, waits until the
    /// page at <paramref name="path"/> has loaded, and returns <paramref name="expression"/>'s value (a string) evaluated in
    /// it through the DevTools protocol: measurements of the laid-out page (sizes, overlaps) that its DOM cannot give.
    /// </summary>
    public static async Task<string> EvaluateAsync(string url, string path, string expression, int width = 1400, int height = 1000, TimeSpan? timeout = null)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run ./test.sh, which installs the Debian package chromium.");
        var profile = Directory.CreateTempSubdirectory("journeys-chromium-");
        await OneAtATime.WaitAsync();
        Process? process = null;
        try
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var flag in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--window-size={width},{height}", "--hide-scrollbars", url,
                     })
                start.ArgumentList.Add(flag);
            process = Process.Start(start)!;
            using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            string? browserSocket = null;
            while (browserSocket is null && await process.StandardError.ReadLineAsync(cancellation.Token) is { } line)
            {
                const string listening = "DevTools listening on ";
                if (line.StartsWith(listening, StringComparison.Ordinal)) browserSocket = line[listening.Length..].Trim();
            }
            if (browserSocket is null) throw new InvalidOperationException("Chromium did not open its DevTools port.");
            _ = process.StandardError.ReadToEndAsync();
            var devTools = new Uri(browserSocket);
            using var http = new HttpClient();
            string? pageSocket = null;
            while (pageSocket is null)
            {
                var targets = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{devTools.Port}/json/list", cancellation.Token)).RootElement;
                pageSocket = targets.EnumerateArray().Where(t => t.GetProperty("type").GetString() == "page")
                    .Select(t => t.GetProperty("webSocketDebuggerUrl").GetString()).FirstOrDefault();
                if (pageSocket is null) await Task.Delay(100, cancellation.Token);
            }
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            await socket.ConnectAsync(new Uri(pageSocket), cancellation.Token);
            var id = 0;
            async Task<System.Text.Json.JsonElement> EvaluateOnceAsync(string code)
            {
                var request = System.Text.Json.JsonSerializer.Serialize(new
                    { id = ++id, method = "Runtime.evaluate", @params = new { expression = code, returnByValue = true } });
                await socket.SendAsync(Encoding.UTF8.GetBytes(request), System.Net.WebSockets.WebSocketMessageType.Text, true, cancellation.Token);
                while (true)
                {
                    using var message = new MemoryStream();
                    var buffer = new byte[64 * 1024];
                    System.Net.WebSockets.WebSocketReceiveResult received;
                    do
                    {
                        received = await socket.ReceiveAsync(buffer, cancellation.Token);
                        message.Write(buffer, 0, received.Count);
                    } while (!received.EndOfMessage);
                    var answer = System.Text.Json.JsonDocument.Parse(message.ToArray()).RootElement;
                    if (!answer.TryGetProperty("id", out var answerId) || answerId.GetInt32() != id) continue;
                    var result = answer.GetProperty("result");
                    if (result.TryGetProperty("exceptionDetails", out var failure))
                        throw new InvalidOperationException("The expression failed in the page: " + failure.GetRawText());
                    return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
                }
            }
            // The sign-in redirects first: wait for the page asked for, loaded.
            while ((await EvaluateOnceAsync("location.pathname + '|' + document.readyState")) is not { ValueKind: System.Text.Json.JsonValueKind.String } state
                   || state.GetString() != path + "|complete")
                await Task.Delay(100, cancellation.Token);
            var evaluated = await EvaluateOnceAsync(expression);
            return evaluated.ValueKind == System.Text.Json.JsonValueKind.String ? evaluated.GetString()! : evaluated.GetRawText();
        }
        finally
        {
            if (process is not null)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync();
                process.Dispose();
            }
            OneAtATime.Release();
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<(string Output, string Errors)> RunAsync(IEnumerable<string> arguments, TimeSpan? timeout)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run ./test.sh, which installs the Debian package chromium.");
        var profile = Directory.CreateTempSubdirectory("journeys-chromium-");
        await OneAtATime.WaitAsync();
        try
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var flag in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}",
                     })
                start.ArgumentList.Add(flag);
            foreach (var argument in arguments) start.ArgumentList.Add(argument);

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"Chromium did not finish within {timeout ?? TimeSpan.FromSeconds(60)}:\n{await errors}");
            }
            return (await output, await errors);
        }
        finally
        {
            OneAtATime.Release();
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
