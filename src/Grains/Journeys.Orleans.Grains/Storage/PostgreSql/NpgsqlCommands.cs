using System.Text.Json;
using Journeys.Orleans.Model;
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

    /// <summary>
    /// Members read as <c>user_key, user_id, anonymous_id, since</c> and, when selected, <c>identifiers::text</c>: a
    /// list destination's rows and the space index's are read the same way.
    /// </summary>
    public static async Task<List<ListMember>> ReadMembersAsync(this NpgsqlCommand command, int limit)
    {
        var members = new List<ListMember>(limit);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            members.Add(new ListMember(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.FieldCount > 4 ? reader.Identifiers(4) : null));
        }
        return members;
    }

    /// <summary>A list member's identifiers, stored as a JSON object (null: none kept).</summary>
    public static IReadOnlyDictionary<string, string>? Identifiers(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(ordinal));
}
