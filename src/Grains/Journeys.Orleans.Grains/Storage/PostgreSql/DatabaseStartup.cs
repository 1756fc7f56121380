using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// What a silo does with its connection string before it starts: reach the database, bring the schema up to date,
/// and turn anything that goes wrong into one sentence an operator can act on.
/// </summary>
public static class DatabaseStartup
{
    /// <summary>The configuration key of the connection string (environment: <c>ConnectionStrings__Journeys</c>).</summary>
    public const string ConnectionStringName = "Journeys";

    /// <summary>Migrates the schema; returns null when the database is ready, else the reason it is not.</summary>
    public static async Task<string?> PrepareAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            return $"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}";
        }

        try
        {
            await using var dataSource = NpgsqlDataSource.Create(settings.ConnectionString);
            var applied = await new SchemaMigrator(dataSource, logger).MigrateAsync(cancellationToken);
            logger.LogInformation("Database {Database} on {Host}:{Port} is at schema version {SchemaVersion} ({Applied} scripts applied now)",
                settings.Database, settings.Host, settings.Port, SchemaMigrator.CodeVersion, applied.Count);
            return null;
        }
        catch (Exception ex)
        {
            return Describe(ex, settings);
        }
    }

    /// <summary>One sentence for a failure to prepare the database.</summary>
    public static string Describe(Exception error, NpgsqlConnectionStringBuilder settings)
    {
        var where = $"PostgreSQL at {settings.Host}:{settings.Port}, database \"{settings.Database}\"";
        return error switch
        {
            SchemaTooNewException tooNew => tooNew.Message,
            PostgresException { SqlState: "28P01" or "28000" } =>
                $"{where} refused the credentials of user \"{settings.Username}\": check the password in ConnectionStrings:{ConnectionStringName}.",
            PostgresException { SqlState: "3D000" } =>
                $"{where} does not exist: create it (CREATE DATABASE \"{settings.Database}\") or fix ConnectionStrings:{ConnectionStringName}.",
            PostgresException postgres =>
                $"{where} answered with an error while preparing the schema: {postgres.SqlState} {postgres.MessageText}",
            NpgsqlException { InnerException: SocketException or TimeoutException or IOException } or NpgsqlException { IsTransient: true } or SocketException or TimeoutException =>
                $"Cannot reach {where}: {Innermost(error).Message}. Is the server running, and is ConnectionStrings:{ConnectionStringName} right?",
            _ => $"Could not prepare {where}: {error.GetType().Name}: {error.Message}",
        };
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null) error = error.InnerException;
        return error;
    }
}
