using Journeys.Orleans.State;
using Journeys.Orleans.Users;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// Wake-up buckets' users as rows of <c>journeys_wake_ups</c>: scheduling a user is one insert whatever the bucket
/// holds, group-committed with other small writes (<see cref="PostgresGroupCommit"/>); the bucket grain's own state is
/// not used.
/// </summary>
public sealed class PostgresWakeUps(Npgsql.NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, string serviceId) : IWakeUps
{
    public IWakeBucketUsers Of(string spaceId, string bucket, IPersistentState<WakeBucketState> state) => new Rows(dataSource, groupCommit, serviceId, spaceId, bucket);

    private sealed class Rows(
        Npgsql.NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, string serviceId, string spaceId, string bucket) : IWakeBucketUsers
    {
        public Task AddAsync(string userKey) => groupCommit.ExecuteAsync([new Statement(
            "INSERT INTO journeys_wake_ups (service_id, space_id, bucket, user_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
            serviceId, spaceId, bucket, userKey)]);

        public async Task<IReadOnlyList<string>> PageAsync(string? afterUserKey, int limit)
        {
            await using var command = dataSource.Command(
                "SELECT user_key FROM journeys_wake_ups WHERE service_id = $1 AND space_id = $2 AND bucket = $3 AND user_key > $4 " +
                "ORDER BY user_key LIMIT $5",
                serviceId, spaceId, bucket, afterUserKey ?? "", limit);
            var users = new List<string>(limit);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) users.Add(reader.GetString(0));
            return users;
        }

        public async Task ForgetAsync(IReadOnlyList<string> userKeys)
        {
            await using var command = dataSource.Command(
                "DELETE FROM journeys_wake_ups WHERE service_id = $1 AND space_id = $2 AND bucket = $3 AND user_key = ANY($4)",
                serviceId, spaceId, bucket, userKeys.ToArray());
            await command.ExecuteNonQueryAsync();
        }

        public Task SaveAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
