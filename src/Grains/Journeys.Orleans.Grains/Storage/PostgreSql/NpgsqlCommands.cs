using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

internal static class NpgsqlCommands
{
    /// <summary>A command with positional parameters <c>$1</c>, <c>$2</c>, ... bound to <paramref name="values"/>.</summary>
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }
}
