using Journeys.Orleans.Members;
using Journeys.Orleans.Model;
using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// List destinations' members as rows of <c>journeys_list_members</c>: an enter upserts one row (only a newer
/// epoch replaces it), an exit deletes it (only up to its epoch), so a change costs one row whatever the size of
/// the list, and replays are harmless. Each statement that changes a member also logs the change in
/// <c>journeys_list_changes</c>, in the same statement, for the remote list sync. Reads page by user key on the
/// primary key; pages of any one step are one run of it, whatever the destination's partitions.
/// </summary>
public sealed class PostgresListMemberRows(NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, string serviceId) : IListMemberRows, IListMembers
{
    public bool KeepsChangeLog => true;

    public async Task<MemberPage> GetPageAsync(string destinationId, int partitions, string stepId, string? pageToken, int pageSize) =>
        MemberPages.OfRows(await GetPageAsync(destinationId, stepId, MemberPages.RowsAfter(pageToken, pageSize), pageSize), pageSize);

    public Task<long> CountAsync(string destinationId, int partitions, string stepId) => CountAsync(destinationId, stepId);

    private const string AddMember =
        "INSERT INTO journeys_list_members AS m (service_id, destination_id, step_id, user_key, user_id, anonymous_id, epoch, since) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) " +
        "ON CONFLICT (service_id, destination_id, step_id, user_key) DO UPDATE " +
        "SET user_id = EXCLUDED.user_id, anonymous_id = EXCLUDED.anonymous_id, epoch = EXCLUDED.epoch, since = EXCLUDED.since " +
        "WHERE m.epoch < EXCLUDED.epoch RETURNING user_key, user_id, anonymous_id";

    private const string RemoveMember =
        "DELETE FROM journeys_list_members WHERE service_id = $1 AND destination_id = $2 AND step_id = $3 AND user_key = $4 AND epoch <= $5 " +
        "RETURNING user_key, user_id, anonymous_id";

    public Task ApplyAsync(string destinationId, IReadOnlyList<Transition> transitions, bool logChanges = true)
    {
        var statements = transitions.Select(t =>
        {
            var added = t.Direction == TransitionDirection.Entered;
            // What changed is logged for the remote list sync; every statement returns one result either way.
            var sql = $"WITH changed AS ({(added ? AddMember : RemoveMember)}) " + (logChanges
                ? "INSERT INTO journeys_list_changes (service_id, destination_id, step_id, user_key, user_id, anonymous_id, added) " +
                  $"SELECT $1, $2, $3, user_key, user_id, anonymous_id, {(added ? "true" : "false")} FROM changed RETURNING 1"
                : "SELECT 1 FROM changed");
            return added
                ? new Statement(sql, serviceId, destinationId, t.StepId, t.UserKey, t.UserId, t.AnonymousId, t.Epoch, t.OccurredAt)
                : new Statement(sql, serviceId, destinationId, t.StepId, t.UserKey, t.Epoch);
        }).ToList();
        return statements.Count == 0 ? Task.CompletedTask : groupCommit.ExecuteAsync(statements);
    }

    public async Task<IReadOnlyList<ListMember>> GetPageAsync(string destinationId, string stepId, string? afterUserKey, int limit)
    {
        await using var command = dataSource.Command(
            "SELECT user_key, user_id, anonymous_id, since, identifiers::text FROM journeys_list_members " +
            "WHERE service_id = $1 AND destination_id = $2 AND step_id = $3 AND user_key > $4 ORDER BY user_key LIMIT $5",
            serviceId, destinationId, stepId, afterUserKey ?? "", limit);
        return await command.ReadMembersAsync(limit);
    }

    public async Task<long> CountAsync(string destinationId, string stepId)
    {
        await using var command = dataSource.Command(
            "SELECT count(*) FROM journeys_list_members WHERE service_id = $1 AND destination_id = $2 AND step_id = $3",
            serviceId, destinationId, stepId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<IReadOnlyList<ListChange>> ReadChangesAsync(string destinationId, string stepId, int limit)
    {
        await using var command = dataSource.Command(
            "SELECT seq, user_key, user_id, anonymous_id, added, identifiers::text FROM journeys_list_changes " +
            "WHERE service_id = $1 AND destination_id = $2 AND step_id = $3 ORDER BY seq LIMIT $4",
            serviceId, destinationId, stepId, limit);
        var changes = new List<ListChange>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            changes.Add(new ListChange(
                reader.GetInt64(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetBoolean(4),
                reader.Identifiers(5)));
        }
        return changes;
    }

    public async Task<int> CountChangesAsync(string destinationId, string stepId, int upTo)
    {
        await using var command = dataSource.Command(
            "SELECT count(*)::integer FROM (SELECT 1 FROM journeys_list_changes " +
            "WHERE service_id = $1 AND destination_id = $2 AND step_id = $3 LIMIT $4) waiting",
            serviceId, destinationId, stepId, upTo);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public async Task ForgetChangesAsync(string destinationId, string stepId, IReadOnlyList<long> sequences)
    {
        if (sequences.Count == 0) return;
        await using var command = dataSource.Command(
            "DELETE FROM journeys_list_changes WHERE service_id = $1 AND destination_id = $2 AND step_id = $3 AND seq = ANY($4)",
            serviceId, destinationId, stepId, sequences.ToArray());
        await command.ExecuteNonQueryAsync();
    }
}
