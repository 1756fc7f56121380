using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Tests.Support;
using Journeys.Orleans.Users;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>
/// The users' store in PostgreSQL: one commit writes the state, the outbox rows and the member rows; etags are
/// respected, and a stale writer changes nothing at all; concurrent commits all land, and many users' commits written by one statement keep each user's version check.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UserStoreTests(PostgresFixture fixture)
{
    private IUserStore Store => fixture.Cluster.SiloServices.GetRequiredService<IUserStore>();

    [Fact]
    public async Task A_write_with_a_stale_etag_fails_and_changes_nothing()
    {
        var grainId = GrainId.Create("user", "spa_etag/u:" + Guid.NewGuid().ToString("N"));

        var first = await Store.CommitAsync(grainId, new UserState { UserId = "first" }, null, []);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Store.CommitAsync(grainId, new UserState { UserId = "stale" }, null, []));
        var second = await Store.CommitAsync(grainId, new UserState { UserId = "second" }, first, []);
        var read = await Store.ReadAsync(grainId);

        Assert.Contains("Version conflict", conflict.Message);
        Assert.Equal("second", read.State.UserId);
        Assert.Equal("2", read.ETag);
        Assert.Equal("2", second);
    }

    [Fact]
    public async Task One_commit_writes_the_outbox_and_member_rows_and_a_stale_one_writes_none_of_them()
    {
        var userKey = "u:" + Guid.NewGuid().ToString("N");
        var grainId = GrainId.Create("user", "spa_commit/" + userKey);
        var webhook = new ConnectionInfo { DestinationId = "dst_c" + Guid.NewGuid().ToString("N")[..8], DestinationName = "Hook", DestinationKind = DestinationKind.Event, DestinationPartitions = 4 };
        var list = new ConnectionInfo { DestinationId = "dst_l" + Guid.NewGuid().ToString("N")[..8], DestinationName = "List", DestinationKind = DestinationKind.List, DestinationPartitions = 4 };
        TransitionDelivery To(ConnectionInfo connection, TransitionDirection direction, int epoch) => new(new Transition
        {
            SpaceId = "spa_commit", JourneyId = "jny_c", StepId = "stp_c", StepKey = "j_o_c__c_abc123", UserKey = userKey, UserId = userKey[2..],
            Direction = direction, Epoch = epoch, Sequence = epoch, OccurredAt = DateTimeOffset.UtcNow,
        }, connection);

        var etag = await Store.CommitAsync(grainId, new UserState { UserId = userKey[2..] }, null,
            UserChanges.Of(userKey, [To(webhook, TransitionDirection.Entered, 1), To(list, TransitionDirection.Entered, 1)]));
        var staleChanges = UserChanges.Of(userKey, [To(webhook, TransitionDirection.Exited, 1), To(list, TransitionDirection.Exited, 1)]);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.CommitAsync(grainId, new UserState(), null, staleChanges));

        // Both payloads (track and identify) of the enter, the member, and its change logged for the remote list.
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM journeys_event_outbox WHERE destination_id = $1", webhook.DestinationId));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM journeys_list_members WHERE destination_id = $1", list.DestinationId));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM journeys_list_changes WHERE destination_id = $1", list.DestinationId));

        await Store.CommitAsync(grainId, new UserState(), etag, staleChanges);
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM journeys_event_outbox WHERE destination_id = $1", webhook.DestinationId));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM journeys_list_members WHERE destination_id = $1", list.DestinationId));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM journeys_list_changes WHERE destination_id = $1", list.DestinationId));
    }

    [Fact]
    public async Task One_commit_writes_the_users_index_rows_where_only_a_newer_epoch_replaces_and_a_stale_one_writes_none()
    {
        var spaceId = "spa_ix" + Guid.NewGuid().ToString("N")[..8];
        var grainId = GrainId.Create("user", spaceId + "/u:ada");
        Transition Change(string stepId, TransitionDirection direction, int epoch) => new()
        {
            SpaceId = spaceId, JourneyId = "jny_i", StepId = stepId, UserKey = "u:ada", UserId = "ada", Direction = direction, Epoch = epoch,
            OccurredAt = DateTimeOffset.UtcNow,
        };
        Task<string?> Commit(string? etag, params Transition[] changes) =>
            Store.CommitAsync(grainId, new UserState { UserId = "ada", IndexChanges = [.. changes] }, etag, []);
        Task<string> Rows() => PostgresServer.ScalarAsync<string>(fixture.ConnectionString,
            $"SELECT string_agg(step_id || '@' || epoch, ',' ORDER BY step_id) FROM journeys_space_index WHERE space_id = '{spaceId}' AND user_key = 'u:ada'");

        var etag = await Commit(null, Change("wait", TransitionDirection.Entered, 1), Change(GrainKeys.UserDirectoryStep, TransitionDirection.Entered, 1));
        Assert.Equal("users@1,wait@1", await Rows());

        // Left and entered again in one call: one row, at the new epoch. An exit of an older epoch removes nothing.
        etag = await Commit(etag, Change("wait", TransitionDirection.Exited, 1), Change("wait", TransitionDirection.Entered, 2), Change("send", TransitionDirection.Entered, 1));
        etag = await Commit(etag, Change("wait", TransitionDirection.Exited, 1), Change("send", TransitionDirection.Entered, 1));
        Assert.Equal("send@1,users@1,wait@2", await Rows());
        // Two entries of one step in one call (a merge moving two entries that wait there): the last one's epoch, in one write.
        etag = await Commit(etag, Change("merged", TransitionDirection.Entered, 2), Change("merged", TransitionDirection.Entered, 3));
        Assert.Equal("merged@3,send@1,users@1,wait@2", await Rows());
        // The stored state does not keep them: the index has them.
        Assert.Empty((await Store.ReadAsync(grainId)).State.IndexChanges);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Commit("1", Change("send", TransitionDirection.Exited, 1)));
        Assert.Equal("merged@3,send@1,users@1,wait@2", await Rows());
        await Commit(etag, Change("send", TransitionDirection.Exited, 1), Change("wait", TransitionDirection.Exited, 2), Change("merged", TransitionDirection.Exited, 3));
        Assert.Equal("users@1", await Rows());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM journeys_list_members WHERE destination_id LIKE 'ix\\_%'"));
    }

    [Fact]
    public async Task A_list_synced_nowhere_keeps_its_members_without_a_change_log()
    {
        var userKey = "u:" + Guid.NewGuid().ToString("N");
        var unsynced = ConnectionInfo.To(
            new DestinationInfo { Id = "dst_u" + Guid.NewGuid().ToString("N")[..8], Name = "List", Kind = DestinationKind.List, Partitions = 4 },
            ConnectionSettings.Default);
        var entered = new TransitionDelivery(new Transition
        {
            SpaceId = "spa_commit", JourneyId = "jny_c", StepId = "stp_c", StepKey = "j_o_c__c_abc123", UserKey = userKey, UserId = userKey[2..],
            Direction = TransitionDirection.Entered, Epoch = 1, Sequence = 1, OccurredAt = DateTimeOffset.UtcNow,
        }, unsynced);

        await Store.CommitAsync(GrainId.Create("user", "spa_commit/" + userKey), new UserState { UserId = userKey[2..] }, null, UserChanges.Of(userKey, [entered]));

        Assert.True(unsynced.ChangesUnsynced);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM journeys_list_members WHERE destination_id = $1", unsynced.DestinationId));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM journeys_list_changes WHERE destination_id = $1", unsynced.DestinationId));
    }

    [Fact]
    public async Task Many_concurrent_commits_are_group_committed_and_all_durable()
    {
        var grains = Enumerable.Range(0, 500).Select(i => GrainId.Create("user", $"spa_group/u:{i}-{Guid.NewGuid():N}")).ToList();

        await Task.WhenAll(grains.Select((id, i) => Store.CommitAsync(id, new UserState { UserId = $"user-{i}" }, null, [])));

        for (var i = 0; i < grains.Count; i += 50)
        {
            var read = await Store.ReadAsync(grains[i]);
            Assert.Equal($"user-{i}", read.State.UserId);
            Assert.Equal("1", read.ETag);
        }
    }

    [Fact]
    public async Task In_one_batch_of_many_users_a_stale_writer_changes_nothing_and_the_others_all_land()
    {
        var webhook = new ConnectionInfo { DestinationId = "dst_b" + Guid.NewGuid().ToString("N")[..8], DestinationName = "Hook", DestinationKind = DestinationKind.Event, DestinationPartitions = 4 };
        var list = new ConnectionInfo { DestinationId = "dst_m" + Guid.NewGuid().ToString("N")[..8], DestinationName = "List", DestinationKind = DestinationKind.List, DestinationPartitions = 4 };
        var users = Enumerable.Range(0, 200).Select(i => "u:" + i + "-" + Guid.NewGuid().ToString("N")[..8]).ToList();
        IReadOnlyList<DestinationChanges> Entered(string userKey) => UserChanges.Of(userKey,
            new[] { webhook, list }.Select(connection => new TransitionDelivery(new Transition
            {
                SpaceId = "spa_batch", JourneyId = "jny_b", StepId = "stp_b", StepKey = "j_o_b__b_abc123", UserKey = userKey, UserId = userKey[2..],
                Direction = TransitionDirection.Entered, Epoch = 1, Sequence = 1, OccurredAt = DateTimeOffset.UtcNow,
            }, connection)).ToList());
        GrainId Id(string userKey) => GrainId.Create("user", "spa_batch/" + userKey);
        // Every fifth user exists already, so its writer's "new user" is stale.
        var stale = users.Where((_, i) => i % 5 == 0).ToHashSet();
        foreach (var userKey in stale) await Store.CommitAsync(Id(userKey), new UserState(), null, []);

        // Committed at once, they share statements; the users of the duplicate pair write the same new user twice.
        var duplicate = users[1];
        var outcomes = await Task.WhenAll(users.Append(duplicate).Select(async userKey =>
        {
            try { await Store.CommitAsync(Id(userKey), new UserState { UserId = userKey[2..] }, null, Entered(userKey)); return (userKey, Committed: true); }
            catch (InconsistentStateException) { return (userKey, Committed: false); }
        }));

        Assert.All(outcomes.Where(o => o.userKey != duplicate), o => Assert.Equal(!stale.Contains(o.userKey), o.Committed));
        Assert.Single(outcomes, o => o.userKey == duplicate && o.Committed);
        var landed = users.Count - stale.Count;
        // Track and identify per committed user, one member each, and its change logged.
        Assert.Equal(2 * landed, await CountAsync("SELECT count(*) FROM journeys_event_outbox WHERE destination_id = $1", webhook.DestinationId));
        Assert.Equal(landed, await CountAsync("SELECT count(*) FROM journeys_list_members WHERE destination_id = $1", list.DestinationId));
        Assert.Equal(landed, await CountAsync("SELECT count(*) FROM journeys_list_changes WHERE destination_id = $1", list.DestinationId));
        Assert.Equal(0, await CountAsync(
            "SELECT count(*) FROM journeys_list_members WHERE destination_id = $1 AND user_key = ANY($2)", list.DestinationId, stale.ToArray()));
        Assert.Equal(0, await CountAsync(
            "SELECT count(*) FROM journeys_event_outbox WHERE destination_id = $1 AND user_key = ANY($2)", webhook.DestinationId, stale.ToArray()));
    }

    private async Task<long> CountAsync(string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
