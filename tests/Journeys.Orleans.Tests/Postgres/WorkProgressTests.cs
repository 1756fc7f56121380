using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>On PostgreSQL: a backfill counts its users from the rows, and a list mirror reports its pages as they go.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkProgressTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_backfill_counts_the_users_it_will_visit_from_the_user_directory_rows()
    {
        var journeys = fixture.Cluster.Journeys;
        var spaceId = TestSpace.New();
        for (var i = 0; i < 7; i++) await journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = $"pg-bar-{i}", Event = "Signed Up" });
        var journey = await journeys.ImportJourneyAsync(new JourneyDocument
        {
            Journey = new JourneyDefinition { Name = "Pg progress", EntryCondition = Condition.Performed("Signed Up"), BackfillOnPublish = true },
            Steps = [new StepDocument { Step = new StepDefinition { Name = "Welcome", Kind = StepKind.SendToDestinations } }],
        }, spaceId);

        var published = await journeys.PublishAsync(journey.Id);
        var done = await Eventually.Until(async () => (await journeys.GetJourneyAsync(journey.Id)).Progress!, p => !p.Running, TimeSpan.FromSeconds(60));

        Assert.Equal(7, published.Progress!.Total);
        Assert.Equal((7L, 7L), (done.Done, done.Total));
    }

    [Fact]
    public async Task A_resync_reports_the_members_mirrored_page_by_page_of_those_the_step_has()
    {
        await using var receiver = await ListReceiver.StartAsync();
        var journeys = fixture.Cluster.Journeys;
        var scenario = await FirstPurchase.CreateAsync(journeys);
        var list = await journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Mirrored audience", Kind = DestinationKind.List, ListSyncUrl = receiver.Url,
            ListSyncInterval = TimeSpan.FromMilliseconds(200), ListSyncBatchSize = 2,
        }, scenario.SpaceId);
        await journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await scenario.PublishAsync();
        foreach (var user in new[] { "m-1", "m-2", "m-3", "m-4", "m-5" }) await scenario.EnterOpenedEmailAsync(user);
        var synced = await Eventually.Until(() => journeys.GetListSyncAsync(list.Id, scenario.OpenedEmail.Id),
            s => s.ExternalListId is { } id && receiver.Lists.ContainsKey(id) && receiver.Members(id).Count == 5, TimeSpan.FromSeconds(60));
        Assert.Equal(5, receiver.Members(synced.ExternalListId!).Count);

        receiver.HoldMirror = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resync = journeys.ResyncListAsync(list.Id, scenario.OpenedEmail.Id);
        // The first page (2 members) went through; the second waits at the receiver.
        var half = await Eventually.Until(() => journeys.GetListSyncAsync(list.Id, scenario.OpenedEmail.Id),
            s => s.Mirror is { Running: true, Done: 2 }, TimeSpan.FromSeconds(30));
        receiver.HoldMirror.SetResult();
        await resync;
        var whole = await journeys.GetListSyncAsync(list.Id, scenario.OpenedEmail.Id);

        Assert.Equal((WorkKind.ListMirror, 2L, 5L, true), (half.Mirror!.Kind, half.Mirror.Done, half.Mirror.Total, half.Mirror.Running));
        Assert.True(half.Mirror.EstimatedEnd > half.Mirror.StartedAt);
        Assert.Equal((5L, 5L, false), (whole.Mirror!.Done, whole.Mirror.Total, whole.Mirror.Running));
        Assert.Equal(half.Mirror.StartedAt, whole.Mirror.StartedAt);
        Assert.Equal(5, receiver.Members(whole.ExternalListId!).Count);
    }
}
