using System.Diagnostics;
using Npgsql;

namespace Journeys.Orleans.Bench;

/// <summary>What the same PostgreSQL server accepts from plain Npgsql for rows shaped like the per-user state rows.</summary>
internal static class PostgresBaseline
{
    public static async Task<string> CreateDatabaseAsync(string adminConnectionString, string purpose = "")
    {
        // The purpose keeps two databases made in the same second (bench --all) apart.
        var name = $"journeys_bench_{purpose}{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 60 }.ConnectionString;
    }

    /// <summary>A fresh database, migrated to the code's schema, for an in-process silo.</summary>
    public static async Task<string> PrepareDatabaseAsync(string adminConnectionString, string purpose = "")
    {
        var database = await CreateDatabaseAsync(adminConnectionString, purpose);
        await using var migrations = NpgsqlDataSource.Create(database);
        await new Journeys.Orleans.Persistence.PostgreSql.SchemaMigrator(migrations).MigrateAsync();
        return database;
    }

    /// <summary>
    /// Prints what plain Npgsql inserts with 1 and 100 rows per transaction beside <paramref name="transitionsPerSecond"/>;
    /// returns the 100-row rate (the batched ceiling).
    /// </summary>
    public static async Task<double> CompareAsync(string connectionString, TimeSpan duration, double transitionsPerSecond)
    {
        var single = await InsertRowsAsync(connectionString, rowsPerTransaction: 1, connections: 16, duration);
        var hundred = await InsertRowsAsync(connectionString, rowsPerTransaction: 100, connections: 4, duration);
        Console.WriteLine();
        Console.WriteLine($"postgres  1 row per transaction      {single,12:N0} rows/s  (16 connections, Npgsql, journeys_grain_state-shaped rows)");
        Console.WriteLine($"postgres  100 rows per transaction   {hundred,12:N0} rows/s  (4 connections: the batched ceiling)");
        Console.WriteLine($"ratio     transitions / 1-row txns   {transitionsPerSecond / single,12:P1}");
        Console.WriteLine($"ratio     transitions / 100-row txns {transitionsPerSecond / hundred,12:P1}");
        return hundred;
    }

    /// <summary>Rows per second inserted by <paramref name="connections"/> loops, each committing <paramref name="rowsPerTransaction"/> rows at a time.</summary>
    public static async Task<double> InsertRowsAsync(string connectionString, int rowsPerTransaction, int connections, TimeSpan duration)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var table = $"bench_rows_{rowsPerTransaction}";
        await using (var create = dataSource.CreateCommand(
            $"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (LIKE journeys_grain_state INCLUDING ALL)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var payload = new byte[600];
        Random.Shared.NextBytes(payload);
        long rows = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            var n = 0;
            while (stopwatch.Elapsed < duration)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var batch = new NpgsqlBatch(connection, transaction);
                for (var i = 0; i < rowsPerTransaction; i++)
                {
                    var command = new NpgsqlBatchCommand(
                        $"INSERT INTO {table} (service_id, state_name, grain_id, version, payload) VALUES ('bench', 'user', $1, 1, $2)");
                    command.Parameters.Add(new NpgsqlParameter { Value = $"user/w{worker}/{n++}" });
                    command.Parameters.Add(new NpgsqlParameter { Value = payload });
                    batch.BatchCommands.Add(command);
                }
                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                Interlocked.Add(ref rows, rowsPerTransaction);
            }
        }));
        return rows / stopwatch.Elapsed.TotalSeconds;
    }
}
