using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// One SQL statement with positional parameters (<c>$1</c>, <c>$2</c>, ...) that returns at most one row. It must
/// return a result (end with <c>RETURNING …</c>, even if no row comes back): results are matched to statements in
/// order, and a statement without one would shift every later statement's result.
/// </summary>
public sealed record Statement(string Sql, params object?[] Parameters);

/// <summary>
/// Group commit: statements from many grains wait a moment in a queue and are written together, in one
/// transaction and one round trip (<see cref="Batcher{TItem,TResult}"/>), so a thousand concurrent writes cost a
/// handful of commits instead of a thousand. Each caller's statements stay atomic, and no caller is answered before its
/// transaction committed. A batch that fails is split, so one bad caller cannot fail the others.
/// </summary>
public sealed class PostgresGroupCommit(
    NpgsqlDataSource dataSource, JourneysMetrics metrics, ILogger<PostgresGroupCommit> logger, int writers = 4, int maxStatementsPerCommit = 1000)
    : IAsyncDisposable
{
    private readonly Batcher<IReadOnlyList<Statement>, int?[]> _writer = new(
        batch => RunAsync(dataSource, batch), logger, writers, maxStatementsPerCommit, statements => statements.Count,
        (callers, elapsed) => metrics.Committed("group", callers, elapsed));

    /// <summary>
    /// Runs <paramref name="statements"/> atomically, batched with other callers'. Returns, per statement, the
    /// first column of its first row, or null when it returned no row. Completes after the commit.
    /// </summary>
    public Task<int?[]> ExecuteAsync(IReadOnlyList<Statement> statements) => _writer.RunAsync(statements);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private static async Task<IReadOnlyList<int?[]>> RunAsync(NpgsqlDataSource dataSource, IReadOnlyList<IReadOnlyList<Statement>> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlBatch(connection, transaction);
        foreach (var statement in batch.SelectMany(statements => statements))
        {
            var batchCommand = new NpgsqlBatchCommand(statement.Sql);
            foreach (var value in statement.Parameters) batchCommand.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            command.BatchCommands.Add(batchCommand);
        }

        var results = batch.Select(statements => new int?[statements.Count]).ToArray();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            foreach (var result in results)
            {
                for (var i = 0; i < result.Length; i++)
                {
                    if (await reader.ReadAsync() && !reader.IsDBNull(0)) result[i] = Convert.ToInt32(reader.GetValue(0));
                    await reader.NextResultAsync();
                }
            }
        }
        await transaction.CommitAsync();
        return results;
    }
}
