using Journeys.Orleans.Members;
using Journeys.Orleans.Model;
using Journeys.Orleans.SpaceIndex;
using Npgsql;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// The space's index as rows of <c>journeys_space_index</c>, written by the users' commits (<see cref="PostgresUserStore"/>):
/// a page is a run of the primary key in user-key order, a count a scan of one step's range.
/// </summary>
public sealed class PostgresSpaceIndex(NpgsqlDataSource dataSource, string serviceId) : ISpaceIndex
{
    public async Task<MemberPage> GetPageAsync(string spaceId, string stepId, string? pageToken, int pageSize)
    {
        var after = MemberPages.RowsAfter(pageToken, pageSize);
        await using var command = dataSource.Command(
            "SELECT user_key, user_id, anonymous_id, since FROM journeys_space_index " +
            "WHERE service_id = $1 AND space_id = $2 AND step_id = $3 AND user_key > $4 ORDER BY user_key LIMIT $5",
            serviceId, spaceId, stepId, after ?? "", pageSize);
        var members = await command.ReadMembersAsync(pageSize);
        return MemberPages.OfRows(members, pageSize);
    }

    public async Task<long> CountAsync(string spaceId, string stepId)
    {
        await using var command = dataSource.Command(
            "SELECT count(*) FROM journeys_space_index WHERE service_id = $1 AND space_id = $2 AND step_id = $3",
            serviceId, spaceId, stepId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
