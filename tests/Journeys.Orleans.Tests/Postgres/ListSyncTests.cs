using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;
using Journeys.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>List destinations push their members to a remote list endpoint on 127.0.0.1.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ListSyncTests(PostgresFixture fixture)
{
    private async Task<(FirstPurchase Scenario, DestinationInfo List)> ArrangeAsync(ListReceiver receiver)
    {
        var journeys = fixture.Cluster.Journeys;
        var scenario = await FirstPurchase.CreateAsync(journeys);
        var list = await journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Remote audience", Kind = DestinationKind.List, ListSyncUrl = receiver.Url,
            ListSyncInterval = TimeSpan.FromMilliseconds(200),
        }, scenario.SpaceId);
        await journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await scenario.PublishAsync();
        return (scenario, list);
    }

    private async Task<HashSet<string>> RemoteEqualsMembersAsync(ListReceiver receiver, DestinationInfo list, string stepId)
    {
        var members = (await new FirstPurchaseMembers(fixture).KeysAsync(list.Id, stepId)).ToHashSet();
        var status = await Eventually.Until(
            async () => (await fixture.Cluster.Journeys.GetListSyncAsync(list.Id, stepId), receiver),
            s => s.Item1.ExternalListId is { } id && receiver.Lists.ContainsKey(id) && receiver.Members(id).SetEquals(members),
            TimeSpan.FromSeconds(60));
        var remote = receiver.Members(status.Item1.ExternalListId!);
        Assert.True(remote.SetEquals(members), $"remote {remote.Count} members, step {members.Count}; last error: {status.Item1.LastError}");
        return remote;
    }

    [Fact]
    public async Task Members_carry_the_hashed_email_the_connection_asks_for_and_a_new_email_updates_them_without_leaving()
    {
        await using var receiver = await ListReceiver.StartAsync();
        var journeys = fixture.Cluster.Journeys;
        var scenario = await FirstPurchase.CreateAsync(journeys);
        var list = await journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Ads audience", Kind = DestinationKind.List, ListSyncUrl = receiver.Url, ListSyncInterval = TimeSpan.FromMilliseconds(200),
        }, scenario.SpaceId);
        await journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id,
            new ConnectionSettings { Identifiers = ["userId", "email"], HashIdentifiers = true });
        await scenario.PublishAsync();
        var oldHash = Payloads.PayloadIdentifiers.Hash("old@example.com");
        var newHash = Payloads.PayloadIdentifiers.Hash("new@example.com");

        await journeys.IdentifyAsync(new IdentifyEvent
            { SpaceId = scenario.SpaceId, UserId = "li-1", Traits = new Dictionary<string, string?> { ["email"] = " Old@Example.com" } });
        await scenario.EnterOpenedEmailAsync("li-1");
        await scenario.EnterOpenedEmailAsync("li-2");
        await Eventually.Until(() => Task.FromResult(receiver.Changes.Count), n => n >= 2, TimeSpan.FromSeconds(60));
        var memberBefore = (await scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id)).Single(m => m.UserKey == "u:li-1");
        await journeys.IdentifyAsync(new IdentifyEvent
            { SpaceId = scenario.SpaceId, UserId = "li-1", Traits = new Dictionary<string, string?> { ["email"] = "new@example.com", ["plan"] = "pro" } });
        await journeys.IdentifyAsync(new IdentifyEvent
            { SpaceId = scenario.SpaceId, UserId = "li-2", Traits = new Dictionary<string, string?> { ["plan"] = "pro" } });
        await Eventually.Until(() => Task.FromResult(receiver.Changes.Count), n => n >= 3, TimeSpan.FromSeconds(60));
        var memberAfter = (await scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id)).Single(m => m.UserKey == "u:li-1");
        var changes = receiver.Changes.ToList();

        Assert.Equal($"{{\"email\":\"{oldHash}\"}}", changes.Single(c => c.UserKey == "u:li-1" && c.Identifiers.Contains(oldHash)).Identifiers);
        Assert.Equal("null", changes.Single(c => c.UserKey == "u:li-2").Identifiers);
        Assert.Equal((true, $"{{\"email\":\"{newHash}\"}}"), (changes[^1].Added, changes[^1].Identifiers));
        Assert.Equal("u:li-1", changes[^1].UserKey);
        Assert.DoesNotContain(changes, c => !c.Added);
        Assert.Equal(3, changes.Count);
        Assert.Equal(newHash, memberAfter.Identifiers!["email"]);
        Assert.Equal(oldHash, memberBefore.Identifiers!["email"]);
        Assert.Equal(memberBefore.Since, memberAfter.Since);
        Assert.Contains("u:li-1", receiver.Members(changes[^1].ListId));
    }

    [Fact]
    public async Task The_remote_list_follows_enters_and_exits_and_is_recreated_when_lost()
    {
        await using var receiver = await ListReceiver.StartAsync();
        var (scenario, list) = await ArrangeAsync(receiver);

        var users = Enumerable.Range(0, 30).Select(i => $"ls-{i:D2}").ToList();
        foreach (var user in users) await scenario.EnterOpenedEmailAsync(user);
        foreach (var user in users.Take(10)) await scenario.MoveOnAsync(user);
        var remote = await RemoteEqualsMembersAsync(receiver, list, scenario.OpenedEmail.Id);
        var firstListId = (await fixture.Cluster.Journeys.GetListSyncAsync(list.Id, scenario.OpenedEmail.Id)).ExternalListId!;

        receiver.Lose(firstListId);
        await scenario.EnterOpenedEmailAsync("ls-late");
        var recreated = await RemoteEqualsMembersAsync(receiver, list, scenario.OpenedEmail.Id);
        var secondListId = (await fixture.Cluster.Journeys.GetListSyncAsync(list.Id, scenario.OpenedEmail.Id)).ExternalListId!;

        Assert.Equal(20, remote.Count);
        Assert.Equal(users.Skip(10).Select(u => $"u:{u}").Order(), remote.Order());
        Assert.NotEqual(firstListId, secondListId);
        Assert.Equal(21, recreated.Count);
        Assert.Contains("u:ls-late", recreated);
    }

    [Fact]
    public async Task A_million_added_and_a_hundred_thousand_removed_sync_exactly_and_a_resync_sends_the_current_members()
    {
        await using var receiver = await ListReceiver.StartAsync();
        var (scenario, list) = await ArrangeAsync(receiver);
        var journeys = fixture.Cluster.Journeys;
        var step = await journeys.GetStepAsync(scenario.OpenedEmail.Id);
        var connection = step.Connections.Single();

        // The list partitions take the changes as their users' grains would hand them over.
        await ApplyAsync(connection, scenario, Enumerable.Range(0, 1_000_000), TransitionDirection.Entered);
        await ApplyAsync(connection, scenario, Enumerable.Range(0, 1_000_000).Where(i => i % 10 == 3), TransitionDirection.Exited);

        var remote = await RemoteEqualsMembersAsync(receiver, list, scenario.OpenedEmail.Id);
        Assert.Equal(900_000, remote.Count);
        Assert.Equal(900_000, await journeys.CountMembersAsync(list.Id, scenario.OpenedEmail.Id));

        var mirroredBefore = receiver.MirroredMembers;
        await journeys.ResyncListAsync(list.Id, scenario.OpenedEmail.Id);
        Assert.Equal(900_000, receiver.MirroredMembers - mirroredBefore);
        await RemoteEqualsMembersAsync(receiver, list, scenario.OpenedEmail.Id);

        // The work of one change does not grow with the list: every statement that touches the 900,000 member rows
        // is an index lookup. (The change log holds only what waits to be pushed, so reading it never grows with the list.)
        await using var connectionToDb = new NpgsqlConnection(fixture.ConnectionString);
        await connectionToDb.OpenAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE journeys_list_members", connectionToDb)) await analyze.ExecuteNonQueryAsync();
        foreach (var sql in new[]
        {
            $"EXPLAIN INSERT INTO journeys_list_members AS m (service_id, destination_id, step_id, user_key, user_id, anonymous_id, epoch, since) VALUES ('journeys-shared', '{list.Id}', '{step.Id}', 'u:x', 'x', NULL, 1, now()) ON CONFLICT (service_id, destination_id, step_id, user_key) DO UPDATE SET epoch = EXCLUDED.epoch WHERE m.epoch < EXCLUDED.epoch",
            $"EXPLAIN DELETE FROM journeys_list_members WHERE service_id = 'journeys-shared' AND destination_id = '{list.Id}' AND step_id = '{step.Id}' AND user_key = 'u:x' AND epoch <= 1",
            $"EXPLAIN SELECT user_key FROM journeys_list_members WHERE service_id = 'journeys-shared' AND destination_id = '{list.Id}' AND step_id = '{step.Id}' AND user_key > 'u:m1' ORDER BY user_key LIMIT 10000",
        })
        {
            await using var explain = new NpgsqlCommand(sql, connectionToDb);
            var plan = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
                while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            Assert.DoesNotContain(plan, line => line.Contains("Seq Scan"));
        }
    }

    /// <summary>Members written straight into the rows, as users' commits would, many at once.</summary>
    private async Task ApplyAsync(ConnectionInfo connection, FirstPurchase scenario, IEnumerable<int> users, TransitionDirection direction)
    {
        var rows = fixture.Cluster.SiloServices.GetRequiredService<IListMemberRows>();
        var now = DateTimeOffset.UtcNow;
        var chunks = users
            .Select(i => new Transition
            {
                SpaceId = scenario.SpaceId, JourneyId = scenario.Journey.Id, StepId = scenario.OpenedEmail.Id, StepKey = scenario.OpenedEmail.Key,
                UserKey = $"u:m{i}", UserId = $"m{i}", Direction = direction, Epoch = 1, OccurredAt = now,
            })
            .Chunk(5_000);
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (chunk, _) => await rows.ApplyAsync(connection.DestinationId, chunk));
    }

    private sealed class FirstPurchaseMembers(PostgresFixture fixture)
    {
        public async Task<List<string>> KeysAsync(string destinationId, string stepId)
        {
            await using var connection = new NpgsqlConnection(fixture.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT user_key FROM journeys_list_members WHERE destination_id = $1 AND step_id = $2", connection)
            {
                Parameters = { new() { Value = destinationId }, new() { Value = stepId } },
            };
            var keys = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
            return keys;
        }
    }
}
