using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>With PostgreSQL, list members are rows: no grain rewrites a blob that grows with the list.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ListRowsTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Members_are_one_row_each_and_no_state_blob_holds_them()
    {
        var journeys = fixture.Cluster.Journeys;
        var scenario = await FirstPurchase.CreateAsync(journeys);
        var list = await scenario.AddListAsync();
        await journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await journeys.ConnectAsync(scenario.RepeatBuyers.Id, list.Id);
        await scenario.PublishAsync();

        var users = Enumerable.Range(0, 200).Select(i => $"row-{i:D3}").ToList();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (user, _) =>
        {
            await scenario.EnterOpenedEmailAsync(user);
            if (user.EndsWith('0')) await scenario.MoveOnAsync(user);
        });

        var rows = await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT count(*) FROM journeys_list_members WHERE destination_id = '{list.Id}'");
        var blobs = await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'listMembers'");
        var page = await scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id, pageSize: 37);

        Assert.Equal(users.Count, rows);
        Assert.Equal(0, blobs);
        Assert.Equal(users.Where(u => !u.EndsWith('0')), page.Select(m => m.UserId!));
        Assert.Equal(20, await journeys.CountMembersAsync(list.Id, scenario.RepeatBuyers.Id));
    }
}
