using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ListDestinationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task On_the_embedded_default_a_list_that_would_sync_a_remote_list_is_refused_for_want_of_a_change_log()
    {
        var spaceId = TestSpace.New();

        var error = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Remote audience", Kind = DestinationKind.List, ListSyncUrl = "http://127.0.0.1:9/lists" }, spaceId));

        Assert.Equal("listSyncUrl", error.Field);
        Assert.Contains("PostgreSQL", error.Reason);
        Assert.Empty(await fixture.Journeys.ListDestinationsAsync(spaceId));
    }

    [Fact]
    public async Task A_new_version_that_keeps_a_send_steps_key_keeps_its_list()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys, ExitBehaviour.OnJourneyExit);
        var list = await scenario.AddListAsync("Kept across versions");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await scenario.PublishAsync();
        await scenario.EnterOpenedEmailAsync("ver-1");

        var draft = await fixture.Journeys.CreateVersionAsync(scenario.Journey.Id);
        await fixture.Journeys.PublishAsync(draft.Id);
        var v2Step = (await fixture.Journeys.GetJourneyAsync(draft.Id)).Steps.Single(s => s.Key == scenario.OpenedEmail.Key);
        await scenario.EnterOpenedEmailAsync("ver-2");
        var fromV1 = await Eventually.Until(() => scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id), m => m.Count == 2);
        var fromV2 = await scenario.AllMembersAsync(list.Id, v2Step.Id);
        var ver2 = await fixture.Journeys.GetUserAsync("ver-2", spaceId: scenario.SpaceId);

        Assert.NotEqual(scenario.OpenedEmail.Id, v2Step.Id);
        Assert.Equal(scenario.OpenedEmail.Id, v2Step.ListStepId);
        Assert.Contains(ver2.Memberships, m => m.StepId == v2Step.Id);
        Assert.Equal(["u:ver-1", "u:ver-2"], fromV1.Select(m => m.UserKey).Order());
        Assert.Equal(fromV1.Select(m => m.UserKey).Order(), fromV2.Select(m => m.UserKey).Order());
        Assert.Equal(2, await fixture.Journeys.CountMembersAsync(list.Id, v2Step.Id));
    }

    [Fact]
    public async Task A_list_keeps_the_identifiers_its_connection_asks_for_and_updates_them_in_place()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync("Audience with emails");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id,
            new ConnectionSettings { Identifiers = ["userId", "email", "phone"], HashIdentifiers = true });
        await scenario.PublishAsync();

        await fixture.Journeys.IdentifyAsync(new IdentifyEvent
        {
            SpaceId = scenario.SpaceId, UserId = "lid-1",
            Traits = new Dictionary<string, string?> { ["email"] = "Test@Example.com", ["phone"] = "+1 555 123 4567" },
        });
        await scenario.EnterOpenedEmailAsync("lid-1");
        var before = Assert.Single(await scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id));
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent
            { SpaceId = scenario.SpaceId, UserId = "lid-1", Traits = new Dictionary<string, string?> { ["email"] = "new@example.com" } });
        var after = await Eventually.Until(
            async () => Assert.Single(await scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id)),
            m => m.Identifiers?["email"] != before.Identifiers?["email"]);

        Assert.Equal("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b", before.Identifiers!["email"]);
        Assert.Equal("8a59780bb8cd2ba022bfa5ba2ea3b6e07af17a7d8b30c1f9b3390e36f69019e4", before.Identifiers["phone"]);
        Assert.Equal(Payloads.PayloadIdentifiers.Hash("new@example.com"), after.Identifiers!["email"]);
        Assert.Equal(before.Identifiers["phone"], after.Identifiers["phone"]);
        Assert.Equal(before.Since, after.Since);
    }

    [Fact]
    public async Task Members_are_exactly_the_users_currently_in_each_step_after_many_enters_and_exits()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await fixture.Journeys.ConnectAsync(scenario.RepeatBuyers.Id, list.Id);
        await scenario.PublishAsync();

        var users = Enumerable.Range(0, 300).Select(i => $"user-{i:D3}").ToList();
        var stayers = users.Where((_, i) => i % 3 == 0).ToHashSet();
        var movers = users.Where((_, i) => i % 3 == 1).ToHashSet();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, _) =>
        {
            if (stayers.Contains(user) || movers.Contains(user)) await scenario.EnterOpenedEmailAsync(user);
            else await scenario.TrackAsync(user, FirstPurchase.OrderCompleted);
            if (movers.Contains(user)) await scenario.MoveOnAsync(user);
        });

        var opened = await scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id, pageSize: 7);
        var repeat = await scenario.AllMembersAsync(list.Id, scenario.RepeatBuyers.Id, pageSize: 1000);

        Assert.Equal(stayers.Order(), opened.Select(m => m.UserId!).Order());
        Assert.Equal(movers.Order(), repeat.Select(m => m.UserId!).Order());
        Assert.Equal(opened.Count, opened.Select(m => m.UserKey).Distinct().Count());
        Assert.Equal(stayers.Count, await fixture.Journeys.CountMembersAsync(list.Id, scenario.OpenedEmail.Id));
        Assert.Equal(movers.Count, await fixture.Journeys.CountMembersAsync(list.Id, scenario.RepeatBuyers.Id));
    }

    [Fact]
    public async Task A_step_with_no_members_reads_as_empty()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync();

        var page = await fixture.Journeys.GetMembersAsync(list.Id, scenario.OpenedEmail.Id);

        Assert.Empty(page.Members);
        Assert.Null(page.NextPageToken);
        Assert.Equal(0, await fixture.Journeys.CountMembersAsync(list.Id, scenario.OpenedEmail.Id));
    }

    [Fact]
    public async Task Bad_paging_input_is_refused_with_the_field()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync();
        var recorder = await scenario.AddRecorderAsync();

        var badToken = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.GetMembersAsync(list.Id, scenario.OpenedEmail.Id, pageToken: "not-a-token"));
        var badSize = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.GetMembersAsync(list.Id, scenario.OpenedEmail.Id, pageSize: 0));
        var notAList = await Assert.ThrowsAsync<JourneysValidationException>(() =>
            fixture.Journeys.GetMembersAsync(recorder.Id, scenario.OpenedEmail.Id));

        Assert.Equal("pageToken", badToken.Field);
        Assert.Equal("pageSize", badSize.Field);
        Assert.Equal("destinationId", notAList.Field);
    }
}
