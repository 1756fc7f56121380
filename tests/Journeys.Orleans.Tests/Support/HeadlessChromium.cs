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
