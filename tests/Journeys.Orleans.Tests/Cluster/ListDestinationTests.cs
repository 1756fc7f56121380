using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ListDestinationTests(ClusterFixture fixture)
{
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
