using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>
/// Configuration flows one way: steps and journeys push their snapshots to the space, the space builds the catalog from
/// those alone and pushes it to the silos. No grain method interleaves to get there.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ConfigurationFlowTests(ClusterFixture fixture)
{
    /// <summary>Far below the 30 s a call waits before Orleans calls it deadlocked.</summary>
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Renaming_and_connecting_a_published_step_and_publishing_a_version_reach_the_catalog()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await scenario.PublishAsync();

        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id).WaitAsync(Quick);
        await fixture.Journeys.RenameStepAsync(scenario.OpenedEmail.Id, "Opened an email").WaitAsync(Quick);
        var space = fixture.Grains.GetGrain<ISpaceGrain>(scenario.SpaceId);
        var step = (await space.GetCatalogAsync()).Journeys.Single().Steps.Single(s => s.Id == scenario.OpenedEmail.Id);
        var draft = await fixture.Journeys.CreateVersionAsync(scenario.Journey.Id).WaitAsync(Quick);
        var v2 = await fixture.Journeys.PublishAsync(draft.Id).WaitAsync(Quick);
        var catalog = await space.GetCatalogAsync();

        Assert.Equal("Opened an email", step.Name);
        Assert.Equal(scenario.OpenedEmail.Key, step.Key);
        Assert.Equal([recorder.Id], step.Connections.Select(c => c.DestinationId));
        Assert.Equal([scenario.Journey.Id, v2.Id], catalog.Journeys.Select(j => j.Id));
        Assert.Equal(v2.Id, catalog.Journeys[0].SupersededBy);
        Assert.True(catalog.Journeys[0].ClosedToEntry);
        Assert.False(catalog.Journeys[1].ClosedToEntry);
    }

    [Fact]
    public async Task A_space_saved_before_it_kept_snapshots_builds_its_catalog_from_the_stored_journeys()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(JourneysSiloBuilderExtensions.StorageName);
        var saved = new GrainState<SpaceState>(new SpaceState());
        await storage.ReadStateAsync("space", GrainId.Create("space", scenario.SpaceId), saved);

        // The same space as the previous release stored it (no snapshots), under a space id never activated.
        var oldSpaceId = TestSpace.New();
        var old = new GrainState<SpaceState>(new SpaceState
        {
            JourneyIds = saved.State!.JourneyIds, CatalogVersion = saved.State.CatalogVersion, Published = null,
        });
        await storage.WriteStateAsync("space", GrainId.Create("space", oldSpaceId), old);
        var catalog = await fixture.Grains.GetGrain<ISpaceGrain>(oldSpaceId).GetCatalogAsync();

        var journey = Assert.Single(catalog.Journeys);
        Assert.Equal(scenario.Journey.Id, journey.Id);
        Assert.Equal(JourneyStatus.Published, journey.Status);
        Assert.Equal([scenario.OpenedEmail.Key, scenario.RepeatBuyers.Key], journey.Steps.Where(s => s.Kind == StepKind.SendToDestinations).Select(s => s.Key));
    }

    [Fact]
    public async Task A_backfill_a_journey_saved_unfinished_is_handed_to_its_sweep_grain_and_runs()
    {
        var spaceId = TestSpace.New();
        var recorder = await fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);
        var users = Enumerable.Range(0, 5).Select(i => $"early-{i}").ToList();
        foreach (var user in users) await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = user, Event = "Signed Up" });
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition { Name = "Welcome", EntryCondition = Condition.Performed("Signed Up") }, spaceId);
        var send = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Welcome", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.ConnectAsync(send.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.PublishAsync(journey.Id);

        // As the release before stored a journey whose backfill was still running when its silo stopped.
        var grainId = GrainId.Create("journey", journey.Id);
        await fixture.Cluster.DeactivateAsync(grainId);
        var saved = await ReadAsync<JourneyState>("journey", grainId);
        saved.State!.BackfillPending = true;
        await Storage.WriteStateAsync("journey", grainId, saved);
        var done = await Eventually.Until(() => fixture.Journeys.GetJourneyAsync(journey.Id), j => !j.BackgroundWorkPending, TimeSpan.FromSeconds(60));
        var recorded = await Eventually.Until(() => fixture.Journeys.GetRecordedAsync(recorder.Id), r => r.Count >= users.Count);

        Assert.Equal(users.Count, done.BackfilledUsers);
        Assert.Equal(users.Count, recorded.Count);
    }

    [Fact]
    public async Task Versions_a_first_version_saved_itself_are_taken_over_by_the_lineage()
    {
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition { Name = "Versioned", EntryCondition = Condition.Performed("A") }, TestSpace.New());
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Send", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.PublishAsync(journey.Id);

        // As the release before stored a first version that had made a second one (the lineage grain never ran).
        var grainId = GrainId.Create("journey", journey.Id);
        await fixture.Cluster.DeactivateAsync(grainId);
        var saved = await ReadAsync<JourneyState>("journey", grainId);
        saved.State!.VersionIds = [journey.Id, "jny_earlier2"];
        await Storage.WriteStateAsync("journey", grainId, saved);
        var next = await fixture.Journeys.CreateVersionAsync(journey.Id);

        Assert.Equal(3, next.Version);
        Assert.Equal(journey.Id, next.LineageId);
    }

    [Fact]
    public async Task A_journey_answers_a_change_while_its_backfill_still_walks_its_users()
    {
        var spaceId = TestSpace.New();
        // More users than one page of the directory: the walk takes several turns of the sweep grain.
        var users = Enumerable.Range(0, 1100).Select(i => $"early-{i}").ToList();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (user, _) => await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = user, Event = "Signed Up" }));
        var journey = await fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "Welcome back", EntryCondition = Condition.Performed("Signed Up"), BackfillOnPublish = true }, spaceId);
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Welcome", Kind = StepKind.SendToDestinations });

        var published = await fixture.Journeys.PublishAsync(journey.Id);
        var paused = await fixture.Journeys.PauseJourneyAsync(journey.Id).WaitAsync(Quick);
        var done = await Eventually.Until(() => fixture.Journeys.GetJourneyAsync(journey.Id), j => !j.BackgroundWorkPending, TimeSpan.FromSeconds(60));

        Assert.True(published.BackgroundWorkPending);
        // The pause was answered while the backfill still ran, not after it.
        Assert.True(paused.BackgroundWorkPending);
        Assert.Equal(JourneyStatus.Paused, paused.Status);
        Assert.Equal(JourneyStatus.Paused, done.Status);
    }

    private IGrainStorage Storage =>
        fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(JourneysSiloBuilderExtensions.StorageName);

    private async Task<GrainState<T>> ReadAsync<T>(string stateName, GrainId grainId) where T : new()
    {
        var read = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, grainId, read);
        return read;
    }
}
