using System.Threading.Channels;
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
/// transaction and one round trip, so a thousand concurrent writes cost a handful of commits instead of a
/// thousand. Each caller's statements stay atomic, and no caller is answered before its transaction committed.
/// A batch that fails is split, so one bad caller cannot fail the others.
/// </summary>
public sealed class PostgresGroupCommit : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PostgresGroupCommit> _logger;
    private readonly int _maxStatementsPerCommit;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;

    public PostgresGroupCommit(NpgsqlDataSource dataSource, ILogger<PostgresGroupCommit> logger, int writers = 4, int maxStatementsPerCommit = 1000)
    {
        _dataSource = dataSource;
        _logger = logger;
        _maxStatementsPerCommit = maxStatementsPerCommit;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>
    /// Runs <paramref name="statements"/> atomically, batched with other callers'. Returns, per statement, the
    /// first column of its first row, or null when it returned no row. Completes after the commit.
    /// </summary>
    public Task<int?[]> ExecuteAsync(IReadOnlyList<Statement> statements)
    {
        var work = new Work(statements);
        if (!_queue.Writer.TryWrite(work)) throw new ObjectDisposedException(nameof(PostgresGroupCommit));
        return work.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Work>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            var statements = 0;
            while (statements < _maxStatementsPerCommit && _queue.Reader.TryRead(out var work))
            {
                batch.Add(work);
                statements += work.Statements.Count;
            }
            if (batch.Count == 0) continue;
            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(IReadOnlyList<Work> batch)
    {
        try
        {
            var results = await RunAsync(batch);
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            _logger.LogDebug(ex, "A group commit of {Count} callers failed; committing each alone", batch.Count);
            foreach (var work in batch) await CommitAsync([work]);
        }
        catch (Exception ex)
        {
            batch[0].Completion.TrySetException(ex);
        }
    }

    private async Task<int?[][]> RunAsync(IReadOnlyList<Work> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlBatch(connection, transaction);
        foreach (var statement in batch.SelectMany(w => w.Statements))
        {
            var batchCommand = new NpgsqlBatchCommand(statement.Sql);
            foreach (var value in statement.Parameters) batchCommand.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            command.BatchCommands.Add(batchCommand);
        }

        var results = batch.Select(w => new int?[w.Statements.Count]).ToArray();
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

    private sealed class Work(IReadOnlyList<Statement> statements)
    {
        public IReadOnlyList<Statement> Statements { get; } = statements;
        public TaskCompletionSource<int?[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
