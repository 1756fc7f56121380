using System.Diagnostics;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// A PostgreSQL server of one test's own (initdb in a temporary folder, on a free loopback port) that the test may
/// stop and start, to see what the service does while its database is away. Runs as the postgres user when the tests
/// run as root, as scripts/test-postgres.sh does.
/// </summary>
public sealed class StoppablePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _folder;
    private readonly int _port;

    private StoppablePostgres(string bin, string folder, int port) => (_bin, _folder, _port) = (bin, folder, port);

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Timeout=5";

    private static bool IsRoot => Environment.UserName == "root";

    public static async Task<StoppablePostgres> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(Directory.Exists).OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin); ./test.sh installs it.");
        var folder = Directory.CreateTempSubdirectory("journeys-pg-stoppable.").FullName;
        if (IsRoot) await RunAsync("chown", ["postgres:postgres", folder]);
        var server = new StoppablePostgres(bin, folder, SiloProcess.FreePort());
        await server.PgAsync("initdb", ["-D", server.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        await server.StartAgainAsync();
        return server;
    }

    private string Data => Path.Combine(_folder, "data");

    public Task StartAgainAsync() => PgAsync("pg_ctl",
        ["-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
         "-o", $"-c listen_addresses=127.0.0.1 -p {_port} -k {_folder}", "start"]);

    public Task StopAsync() => PgAsync("pg_ctl", ["-D", Data, "-m", "fast", "-w", "-t", "60", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try { await PgAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]); }
        catch (InvalidOperationException) { /* already stopped */ }
        Directory.Delete(_folder, recursive: true);
    }

    private Task PgAsync(string tool, IReadOnlyList<string> arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string command, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
    }
}
