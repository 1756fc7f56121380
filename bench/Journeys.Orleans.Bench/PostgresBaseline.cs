using System.Diagnostics;
using Npgsql;

namespace Journeys.Orleans.Bench;

/// <summary>What the same PostgreSQL server accepts from plain Npgsql for rows shaped like the per-user state rows.</summary>
internal static class PostgresBaseline
{
    public static async Task<string> CreateDatabaseAsync(string adminConnectionString)
    {
        var name = $"journeys_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 60 }.ConnectionString;
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
