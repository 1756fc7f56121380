using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>
/// A journey's life through the client on a cluster: documents imported and exported unchanged, refused documents that
/// change nothing, versions that keep keys, clones that do not, archive, backfill at publish, and step counts.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LifecycleTests(ClusterFixture fixture)
{
    private static JourneyDocument Onboarding(string destinationId) => new()
    {
        Journey = new JourneyDefinition
        {
            Name = "Onboarding", EntryCondition = Condition.Performed("Signed Up"), ExitCondition = Condition.Performed("Deleted Account"),
            AllowReEntry = true, ExitAfter = TimeSpan.FromDays(30),
        },
        Steps =
        [
            new StepDocument { Step = new StepDefinition { Name = "Plan?", Ref = "plan", Kind = StepKind.TrueFalseSplit,
                Condition = Condition.TraitIs("plan", "pro"), Branches = [new StepBranch { Name = "pro", Next = "pro" }, new StepBranch { Name = "free", Next = "wait" }] } },
            new StepDocument
            {
                Step = new StepDefinition { Name = "Pro welcome", Ref = "pro", Kind = StepKind.SendToDestinations, Next = StepRefs.End },
                Connections = [new ConnectionDocument { DestinationId = destinationId, Settings = new ConnectionSettings { SendIdentify = false } }],
            },
            new StepDocument { Step = new StepDefinition { Name = "Wait for activation", Ref = "wait", Kind = StepKind.Condition,
                Condition = Condition.Performed("Activated"), Timeout = TimeSpan.FromDays(7), TimeoutNext = "nudge" } },
            new StepDocument { Step = new StepDefinition { Name = "Activated", Ref = "activated", Kind = StepKind.SendToDestinations, Next = StepRefs.End } },
            new StepDocument { Step = new StepDefinition { Name = "Nudge", Ref = "nudge", Kind = StepKind.SendToDestinations, ExitBehaviour = ExitBehaviour.OnJourneyExit } },
        ],
    };

    private Task<DestinationInfo> RecorderAsync(string spaceId) => fixture.Journeys.CreateDestinationAsync(
        new DestinationDefinition { Name = "Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);

    private Task TrackAsync(string spaceId, string userId, string eventName) =>
        fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = userId, Event = eventName });

    [Fact]
    public async Task A_document_is_exported_exactly_as_it_was_imported()
    {
        var spaceId = TestSpace.New();
        var recorder = await RecorderAsync(spaceId);
        var document = Onboarding(recorder.Id);

        var journey = await fixture.Journeys.ImportJourneyAsync(document, spaceId);
        var exported = await fixture.Journeys.ExportJourneyAsync(journey.Id);

        Assert.Equal(JsonSerializer.Serialize(document), JsonSerializer.Serialize(exported));
        Assert.Equal(JourneyStatus.Draft, journey.Status);
        Assert.Equal(["plan", "pro", "wait", "activated", "nudge"], journey.Steps.Select(s => s.Ref));
        Assert.Equal(recorder.Id, Assert.Single(journey.Steps[1].Connections).DestinationId);
        Assert.StartsWith("j_o_onboarding__pro_welcome_", journey.Steps[1].Key);
    }

    [Fact]
    public async Task An_invalid_document_is_refused_with_the_field_and_creates_nothing()
    {
        var spaceId = TestSpace.New();
        var recorder = await RecorderAsync(spaceId);
        var valid = Onboarding(recorder.Id);
        var cycle = valid with { Steps = [.. valid.Steps.Take(3), new StepDocument { Step = valid.Steps[3].Step with { Next = "plan" } }, valid.Steps[4]] };
        var unknownDestination = valid with
        {
            Steps = [valid.Steps[0], valid.Steps[1] with { Connections = [new ConnectionDocument { DestinationId = "dst_unknown" }] }, .. valid.Steps.Skip(2)],
        };

        var cycleError = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.ImportJourneyAsync(cycle, spaceId));
        var destinationError = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.ImportJourneyAsync(unknownDestination, spaceId));
        var validateError = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.ValidateJourneyAsync(cycle, spaceId));
        await fixture.Journeys.ValidateJourneyAsync(valid, spaceId);

        Assert.Equal("steps[3]", cycleError.Field);
        Assert.Contains("cycle", cycleError.Reason);
        Assert.Equal("steps[1].connections[0].destinationId", destinationError.Field);
        Assert.Equal(cycleError.Field, validateError.Field);
        Assert.Empty(await fixture.Journeys.ListJourneysAsync(spaceId));
    }

    [Fact]
    public async Task A_new_version_keeps_the_keys_of_unchanged_steps_and_users_of_the_first_never_enter_it()
    {
        var spaceId = TestSpace.New();
        var recorder = await RecorderAsync(spaceId);
        var v1 = await fixture.Journeys.ImportJourneyAsync(Onboarding(recorder.Id), spaceId);
        await fixture.Journeys.PublishAsync(v1.Id);
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent { SpaceId = spaceId, UserId = "veteran", Traits = new Dictionary<string, string?> { ["plan"] = "pro" } });
        await TrackAsync(spaceId, "veteran", "Signed Up");

        var draft = await fixture.Journeys.CreateVersionAsync(v1.Id);
        var edited = (await fixture.Journeys.ExportJourneyAsync(draft.Id)).Steps.ToList();
        edited[4] = edited[4] with { Step = edited[4].Step with { Name = "Nudge harder" } };
        var v2 = await fixture.Journeys.ReplaceStepsAsync(draft.Id, edited);
        await fixture.Journeys.PublishAsync(v2.Id);
        await TrackAsync(spaceId, "veteran", "Deleted Account");
        await TrackAsync(spaceId, "veteran", "Signed Up");
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent { SpaceId = spaceId, UserId = "newcomer", Traits = new Dictionary<string, string?> { ["plan"] = "pro" } });
        await TrackAsync(spaceId, "newcomer", "Signed Up");
        var veteran = await fixture.Journeys.GetUserAsync("veteran", spaceId: spaceId);
        var newcomer = await fixture.Journeys.GetUserAsync("newcomer", spaceId: spaceId);
        var first = await fixture.Journeys.GetJourneyAsync(v1.Id);

        Assert.Equal(2, v2.Version);
        Assert.Equal(v1.Id, v2.LineageId);
        Assert.Equal(v1.Steps.Take(4).Select(s => s.Key), v2.Steps.Take(4).Select(s => s.Key));
        Assert.NotEqual(v1.Steps[4].Key, v2.Steps[4].Key);
        Assert.Equal(v1.Steps[1].Connections.Select(c => c.DestinationId), v2.Steps[1].Connections.Select(c => c.DestinationId));
        Assert.Equal(v2.Id, first.SupersededBy);
        Assert.Equal([v1.Id], veteran.Journeys.Select(j => j.JourneyId));
        Assert.Equal([v2.Id], newcomer.Journeys.Select(j => j.JourneyId));
    }

    [Fact]
    public async Task A_journey_has_at_most_25_versions()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition { Name = "Versioned", EntryCondition = Condition.Performed("A") }, spaceId);
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Send", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.PublishAsync(journey.Id);

        for (var version = 2; version <= 25; version++)
            Assert.Equal(version, (await fixture.Journeys.CreateVersionAsync(journey.Id)).Version);
        var error = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.CreateVersionAsync(journey.Id));

        Assert.Contains("25 versions", error.Reason);
        Assert.Equal(25, (await fixture.Journeys.ListJourneysAsync(spaceId)).Count);
    }

    [Fact]
    public async Task A_clone_is_a_draft_with_the_same_definition_and_new_keys()
    {
        var spaceId = TestSpace.New();
        var recorder = await RecorderAsync(spaceId);
        var original = await fixture.Journeys.ImportJourneyAsync(Onboarding(recorder.Id), spaceId);
        await fixture.Journeys.PublishAsync(original.Id);

        var clone = await fixture.Journeys.CloneJourneyAsync(original.Id, "Onboarding B");
        var originalDocument = await fixture.Journeys.ExportJourneyAsync(original.Id);
        var cloneDocument = await fixture.Journeys.ExportJourneyAsync(clone.Id);

        Assert.Equal(JourneyStatus.Draft, clone.Status);
        Assert.Equal(clone.Id, clone.LineageId);
        Assert.Equal(JsonSerializer.Serialize(originalDocument.Steps), JsonSerializer.Serialize(cloneDocument.Steps));
        Assert.All(clone.Steps.Zip(original.Steps), pair => Assert.NotEqual(pair.Second.Key, pair.First.Key));
        Assert.All(clone.Steps, s => Assert.StartsWith("j_o_onboarding_b__", s.Key));
    }

    [Fact]
    public async Task An_archived_journey_moves_nobody_and_its_onStepLeave_members_leave()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync();
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        var users = Enumerable.Range(0, 5).Select(i => $"archived-{i}").ToList();
        foreach (var user in users) await scenario.EnterOpenedEmailAsync(user);
        var before = await fixture.Journeys.CountMembersAsync(list.Id, scenario.OpenedEmail.Id);

        var archived = await fixture.Journeys.ArchiveJourneyAsync(scenario.Journey.Id);
        await Eventually.Until(() => fixture.Journeys.GetJourneyAsync(scenario.Journey.Id), j => !j.BackgroundWorkPending, TimeSpan.FromSeconds(60));
        var after = await Eventually.Until(() => fixture.Journeys.CountMembersAsync(list.Id, scenario.OpenedEmail.Id), c => c == 0);
        var exits = await scenario.RecordedAsync(recorder.Id, 10);
        await scenario.TrackAsync("late", FirstPurchase.OrderCompleted);
        await scenario.MoveOnAsync(users[0]);
        var counts = await fixture.Journeys.GetStepCountsAsync(scenario.Journey.Id);
        var republish = await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.PublishAsync(scenario.Journey.Id));

        Assert.Equal(JourneyStatus.Archived, archived.Status);
        Assert.Equal(5, before);
        Assert.Equal(0, after);
        Assert.Equal(5, exits.Count(p => p.GetProperty("event").GetString() == "Audience Exited"));
        Assert.Empty((await fixture.Journeys.GetUserAsync("late", spaceId: scenario.SpaceId)).Journeys);
        Assert.Empty((await fixture.Journeys.GetUserAsync(users[0], spaceId: scenario.SpaceId)).Memberships);
        Assert.All(counts, c => Assert.Equal(0, c.Members));
        Assert.Equal("journeyId", republish.Field);
    }

    [Fact]
    public async Task A_backfill_at_publish_and_live_events_at_the_same_moment_enter_each_user_once()
    {
        var spaceId = TestSpace.New();
        var recorder = await RecorderAsync(spaceId);
        var users = Enumerable.Range(0, 40).Select(i => $"early-{i}").ToList();
        foreach (var user in users) await TrackAsync(spaceId, user, "Signed Up");
        await TrackAsync(spaceId, "bystander", "Browsed");
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition
            { Name = "Welcome back", EntryCondition = Condition.Performed("Signed Up"), BackfillOnPublish = true }, spaceId);
        var send = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Welcome", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.ConnectAsync(send.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });

        var publish = fixture.Journeys.PublishAsync(journey.Id);
        var live = Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) => await TrackAsync(spaceId, user, "Signed Up"));
        await Task.WhenAll(publish, live);
        // The backfill runs in the background (a reminder), at the same time as the live events above.
        var done = await Eventually.Until(() => fixture.Journeys.GetJourneyAsync(journey.Id), j => !j.BackgroundWorkPending, TimeSpan.FromSeconds(60));
        foreach (var user in users) await TrackAsync(spaceId, user, "Signed Up");
        // Every call above has returned and the backfill is done: each payload they made is counted as received.
        var stats = await Pipeline.DrainedAsync(fixture.Journeys, recorder.Id, users.Count);
        var recorded = await fixture.Journeys.GetRecordedAsync(recorder.Id);
        var views = await Task.WhenAll(users.Select(u => fixture.Journeys.GetUserAsync(u, spaceId: spaceId)));

        Assert.True((await publish).BackgroundWorkPending);
        Assert.InRange(done.BackfilledUsers, 0, users.Count);
        Assert.Equal(users.Count, stats.Received);
        Assert.Equal(users.Count, recorded.Count);
        Assert.All(views, v => Assert.Equal(1, Assert.Single(v.Journeys).Entries));
        Assert.Empty((await fixture.Journeys.GetUserAsync("bystander", spaceId: spaceId)).Journeys);
        Assert.Equal(users.Count, (await fixture.Journeys.GetStepCountsAsync(journey.Id)).Single().Members);
    }

    [Fact]
    public async Task Step_counts_and_members_show_who_is_in_every_step()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();
        await scenario.TrackAsync("waiting-1", FirstPurchase.OrderCompleted);
        await scenario.TrackAsync("waiting-2", FirstPurchase.OrderCompleted);
        await scenario.EnterOpenedEmailAsync("opened");
        await scenario.EnterOpenedEmailAsync("repeat");
        await scenario.MoveOnAsync("repeat");
        var steps = (await fixture.Journeys.GetJourneyAsync(scenario.Journey.Id)).Steps;

        var counts = await fixture.Journeys.GetStepCountsAsync(scenario.Journey.Id);
        var waiting = await fixture.Journeys.GetStepMembersAsync(scenario.Journey.Id, steps[0].Id);
        var firstPage = await fixture.Journeys.GetStepMembersAsync(scenario.Journey.Id, steps[0].Id, pageSize: 1);
        var secondPage = await fixture.Journeys.GetStepMembersAsync(scenario.Journey.Id, steps[0].Id, firstPage.NextPageToken, 1);
        var notAStep = await Assert.ThrowsAsync<JourneysValidationException>(
            () => fixture.Journeys.GetStepMembersAsync(scenario.Journey.Id, "stp_elsewhere"));

        // Waiting for the email: 2; in "Opened Email" (held while waiting for a second order): 1, who also waits there; repeat buyers: 1.
        Assert.Equal([2L, 1L, 1L, 1L], counts.Select(c => c.Members));
        Assert.Equal(["u:waiting-1", "u:waiting-2"], waiting.Members.Select(m => m.UserKey).Order());
        Assert.Equal(["u:waiting-1", "u:waiting-2"], firstPage.Members.Concat(secondPage.Members).Select(m => m.UserKey).Order());
        Assert.Equal("stepId", notAStep.Field);
    }
}
