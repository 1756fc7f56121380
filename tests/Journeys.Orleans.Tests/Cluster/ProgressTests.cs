using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>A journey's backfill and archive sweep report done / total: the total counted when they start, done when they end.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProgressTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_backfill_over_N_users_reports_N_to_do_at_publish_and_N_done_at_its_end_then_the_archive_sweep_the_same()
    {
        var spaceId = TestSpace.New();
        var recorder = await fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);
        var users = Enumerable.Range(0, 30).Select(i => $"progress-{i}").ToList();
        foreach (var user in users) await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = user, Event = "Signed Up" });
        await UserDirectory.ListedAsync(fixture.Grains, spaceId, users.Count);
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition
            { Name = "Progress", EntryCondition = Condition.Performed("Signed Up"), BackfillOnPublish = true }, spaceId);
        var step = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Welcome", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.ConnectAsync(step.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        var draft = await fixture.Journeys.GetJourneyAsync(journey.Id);

        var published = await fixture.Journeys.PublishAsync(journey.Id);
        var seen = new List<WorkProgress>();
        var backfilled = await Eventually.Until(async () =>
        {
            var progress = (await fixture.Journeys.GetJourneyAsync(journey.Id)).Progress!;
            seen.Add(progress);
            return progress;
        }, p => !p.Running, TimeSpan.FromSeconds(60));
        await Eventually.Until(() => fixture.Journeys.GetStepCountsAsync(journey.Id), c => c.Single().Members == users.Count);
        var archived = await fixture.Journeys.ArchiveJourneyAsync(journey.Id);
        var swept = await Eventually.Until(async () => (await fixture.Journeys.GetJourneyAsync(journey.Id)).Progress!, p => !p.Running, TimeSpan.FromSeconds(60));

        Assert.Null(draft.Progress);
        Assert.Equal((WorkKind.Backfill, 30L), (published.Progress!.Kind, published.Progress.Total));
        Assert.Equal((WorkKind.Backfill, 30L, 30L), (backfilled.Kind, backfilled.Done, backfilled.Total));
        Assert.NotNull(backfilled.FinishedAt);
        Assert.Equal(backfilled.FinishedAt, backfilled.EstimatedEnd);
        Assert.True(backfilled.RatePerSecond > 0);
        // Every reading on the way: the same total, never going back.
        Assert.All(seen, p => Assert.Equal(30, p.Total));
        Assert.Equal(seen.Select(p => p.Done).Order(), seen.Select(p => p.Done));
        Assert.Equal((WorkKind.ArchiveSweep, 30L), (archived.Progress!.Kind, archived.Progress.Total));
        Assert.Equal((WorkKind.ArchiveSweep, 30L, 30L, false), (swept.Kind, swept.Done, swept.Total, swept.Running));
    }
}
