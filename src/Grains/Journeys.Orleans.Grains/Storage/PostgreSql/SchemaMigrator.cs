using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>The database's schema is newer than this build: refuse to run rather than corrupt it.</summary>
public sealed class SchemaTooNewException(int databaseVersion, int codeVersion)
    : Exception($"The database schema is at version {databaseVersion}, newer than this build of Journeys.Orleans understands " +
                $"({codeVersion}). Run a newer build, or point Journeys at another database.")
{
    public int DatabaseVersion { get; } = databaseVersion;
    public int CodeVersion { get; } = codeVersion;
}

/// <summary>
/// Applies the project's PostgreSQL scripts (embedded <c>NNNN_name.sql</c>) in order, each once, recording them in
/// <c>journeys_schema_version</c>. Safe to run from several silos at once: a transaction-scoped advisory lock
/// lets one apply while the others wait and then find nothing left to do.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger? logger = null)
{
    // Any fixed number: all processes migrating this database agree on it.
    private const long MigrationLockKey = 0x4A_6F_75_72_6E_65_79;

    private static readonly IReadOnlyList<(int Version, string Name, string Sql)> Scripts = LoadScripts();

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The schema version this build brings.</summary>
    public static int CodeVersion => Scripts[^1].Version;

    /// <summary>Brings the database to <see cref="CodeVersion"/>; returns the versions applied now (none when current).</summary>
    /// <exception cref="SchemaTooNewException">The database is ahead of this build; nothing was changed.</exception>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(" + MigrationLockKey + ")", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS journeys_schema_version
            (
                version     integer     NOT NULL PRIMARY KEY,
                name        text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        await using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM journeys_schema_version", connection))
        {
            var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken));
            if (current > CodeVersion) throw new SchemaTooNewException(current, CodeVersion);

            var applied = new List<int>();
            foreach (var (version, name, sql) in Scripts.Where(s => s.Version > current))
            {
                await ExecuteAsync(connection, sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO journeys_schema_version (version, name) VALUES ($1, $2)", connection)
                {
                    Parameters = { new() { Value = version }, new() { Value = name } },
                };
                await record.ExecuteNonQueryAsync(cancellationToken);
                applied.Add(version);
                _logger.LogInformation("Applied schema script {SchemaVersion} {SchemaScript}", version, name);
            }
            await transaction.CommitAsync(cancellationToken);
            return applied;
        }
    }

    /// <summary>The version the database is at (0 when never migrated).</summary>
    public async Task<int> ReadVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT CASE WHEN to_regclass('journeys_schema_version') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM journeys_schema_version) END",
            connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IReadOnlyList<(int, string, string)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "Journeys.Orleans.Scripts.";
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..];
            var match = ScriptName().Match(name);
            if (!match.Success) throw new InvalidOperationException($"Schema script {name} is not named NNNN_description.sql.");
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add((int.Parse(match.Groups[1].Value), name, reader.ReadToEnd()));
        }
        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Item1 != i + 1) throw new InvalidOperationException($"Schema scripts must be numbered 1, 2, 3... without gaps; found {scripts[i].Item2}.");
        }
        return scripts;
    }

    [GeneratedRegex(@"^(\d{4})_[a-z0-9_]+\.sql$")]
    private static partial Regex ScriptName();
}
