using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class JourneyFlowTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Meeting_the_entry_condition_then_the_step_condition_enters_the_send_step()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();

        await scenario.TrackAsync("u_1", FirstPurchase.OrderCompleted);
        var waiting = await fixture.Journeys.GetUserAsync("u_1", spaceId: scenario.SpaceId);
        await scenario.TrackAsync("u_1", FirstPurchase.EmailOpened);
        var entered = await fixture.Journeys.GetUserAsync("u_1", spaceId: scenario.SpaceId);

        Assert.Single(waiting.Journeys);
        Assert.Empty(waiting.Memberships);
        var membership = Assert.Single(entered.Memberships);
        Assert.Equal(scenario.OpenedEmail.Id, membership.StepId);
        Assert.Equal(scenario.OpenedEmail.Key, membership.StepKey);
        // Users in "Opened Email" wait in the step after it ("Wait for a second order") and stay members meanwhile.
        var steps = (await fixture.Journeys.GetJourneyAsync(scenario.Journey.Id)).Steps;
        Assert.Equal(steps[2].Id, Assert.Single(entered.Journeys).StepId);
        Assert.Equal(steps[0].Id, Assert.Single(waiting.Journeys).StepId);
    }

    [Fact]
    public async Task Moving_on_to_a_following_step_sends_the_exit_by_default()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_2");
        await scenario.MoveOnAsync("u_2");
        var user = await fixture.Journeys.GetUserAsync("u_2", spaceId: scenario.SpaceId);
        var payloads = await scenario.RecordedAsync(recorder.Id, 2);

        Assert.Equal(["Audience Entered", "Audience Exited"], payloads.Select(p => p.GetProperty("event").GetString()));
        Assert.Equal(scenario.RepeatBuyers.Id, Assert.Single(user.Memberships).StepId);
        Assert.Equal(
            [(scenario.OpenedEmail.Id, TransitionDirection.Entered), (scenario.OpenedEmail.Id, TransitionDirection.Exited), (scenario.RepeatBuyers.Id, TransitionDirection.Entered)],
            user.RecentTransitions.Where(t => t.StepKind == StepKind.SendToDestinations).Select(t => (t.StepId, t.Direction)));
    }

    [Fact]
    public async Task With_onJourneyExit_moving_on_keeps_the_membership()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys, ExitBehaviour.OnJourneyExit);
        var list = await scenario.AddListAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_3");
        await scenario.MoveOnAsync("u_3");
        var user = await fixture.Journeys.GetUserAsync("u_3", spaceId: scenario.SpaceId);

        Assert.Equal(2, user.Memberships.Count);
        Assert.Equal(1, await fixture.Journeys.CountMembersAsync(list.Id, scenario.OpenedEmail.Id));
    }

    [Fact]
    public async Task Only_published_journeys_move_users()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);

        await scenario.EnterOpenedEmailAsync("u_draft");
        var beforePublish = await fixture.Journeys.GetUserAsync("u_draft", spaceId: scenario.SpaceId);
        await scenario.PublishAsync();
        await scenario.EnterOpenedEmailAsync("u_live");
        var afterPublish = await fixture.Journeys.GetUserAsync("u_live", spaceId: scenario.SpaceId);

        Assert.Empty(beforePublish.Journeys);
        Assert.Single(afterPublish.Memberships);
    }

    [Fact]
    public async Task A_call_sent_twice_with_the_same_messageId_counts_once()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();

        await scenario.TrackAsync("u_dup", FirstPurchase.OrderCompleted, messageId: "m-1");
        await scenario.TrackAsync("u_dup", FirstPurchase.EmailOpened, messageId: "m-2");
        await scenario.TrackAsync("u_dup", FirstPurchase.OrderCompleted, messageId: "m-1");
        var user = await fixture.Journeys.GetUserAsync("u_dup", spaceId: scenario.SpaceId);

        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(user.Memberships).StepId);
    }

    [Fact]
    public async Task A_trait_condition_step_passes_on_identify()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "Upgrades", EntryCondition = Condition.Performed("Signed Up") }, spaceId);
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition
            { Name = "Is pro", Kind = StepKind.Condition, Condition = Condition.TraitIs("plan", "pro") });
        var send = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Pro users", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.PublishAsync(journey.Id);

        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "u_t", Event = "Signed Up" });
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent { SpaceId = spaceId, UserId = "u_t", Traits = new Dictionary<string, string?> { ["plan"] = "free" } });
        var free = await fixture.Journeys.GetUserAsync("u_t", spaceId: spaceId);
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent { SpaceId = spaceId, UserId = "u_t", Traits = new Dictionary<string, string?> { ["plan"] = "pro" } });
        var pro = await fixture.Journeys.GetUserAsync("u_t", spaceId: spaceId);

        Assert.Empty(free.Memberships);
        Assert.Equal("free", free.Traits["plan"]);
        Assert.Equal(send.Id, Assert.Single(pro.Memberships).StepId);
    }

    [Fact]
    public async Task A_user_survives_deactivation_of_every_grain()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await scenario.PublishAsync();
        await scenario.EnterOpenedEmailAsync("u_reload");

        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await scenario.MoveOnAsync("u_reload");
        var user = await fixture.Journeys.GetUserAsync("u_reload", spaceId: scenario.SpaceId);

        Assert.Equal(scenario.RepeatBuyers.Id, Assert.Single(user.Memberships).StepId);
        Assert.Equal(0, await fixture.Journeys.CountMembersAsync(list.Id, scenario.OpenedEmail.Id));
    }

    [Fact]
    public async Task Property_filters_and_counts_decide_entry_and_steps_end_to_end()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition
        {
            Name = "Big spenders",
            EntryCondition = Condition.Performed("Order Completed", new PropertyFilter("total", Comparison.GreaterThan, "100")),
        }, spaceId);
        await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition
        {
            Name = "Opened twice", Kind = StepKind.Condition,
            Condition = Condition.Any(Condition.Performed("Email Opened") with { Count = 2 }, Condition.TraitIs("vip", "true")),
        });
        var send = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Engaged", Kind = StepKind.SendToDestinations });
        await fixture.Journeys.PublishAsync(journey.Id);

        Task Track(string user, string name, string? total = null) => fixture.Journeys.TrackAsync(new TrackEvent
        {
            SpaceId = spaceId, UserId = user, Event = name,
            Properties = total is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["total"] = total },
        });

        await Track("small", "Order Completed", "20");
        await Track("big", "Order Completed", "250");
        await Track("big", "Email Opened");
        var afterOneOpen = await fixture.Journeys.GetUserAsync("big", spaceId: spaceId);
        await Track("big", "Email Opened");
        var afterTwoOpens = await fixture.Journeys.GetUserAsync("big", spaceId: spaceId);
        await Track("vip", "Order Completed", "101");
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent { SpaceId = spaceId, UserId = "vip", Traits = new Dictionary<string, string?> { ["vip"] = "true" } });

        Assert.Empty((await fixture.Journeys.GetUserAsync("small", spaceId: spaceId)).Journeys);
        Assert.Empty(afterOneOpen.Memberships);
        Assert.Equal(send.Id, Assert.Single(afterTwoOpens.Memberships).StepId);
        Assert.Equal(send.Id, Assert.Single((await fixture.Journeys.GetUserAsync("vip", spaceId: spaceId)).Memberships).StepId);
    }

    [Fact]
    public async Task Exit_events_and_re_entry_give_each_epoch_its_own_message_ids()
    {
        var spaceId = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(new JourneyDefinition
        {
            Name = "Trials", EntryCondition = Condition.Performed("Trial Started"), ExitCondition = Condition.Performed("Trial Ended"), AllowReEntry = true,
        }, spaceId);
        var step = await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "In trial", Kind = StepKind.SendToDestinations });
        var recorder = await fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);
        await fixture.Journeys.ConnectAsync(step.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.PublishAsync(journey.Id);

        foreach (var name in new[] { "Trial Started", "Trial Ended", "Trial Started", "Trial Ended" })
            await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "epochs", Event = name });
        var recorded = await Eventually.Until(() => fixture.Journeys.GetRecordedAsync(recorder.Id), r => r.Count >= 4);
        var user = await fixture.Journeys.GetUserAsync("epochs", spaceId: spaceId);

        var events = recorded.Select(r => System.Text.Json.JsonDocument.Parse(r.Json).RootElement).ToList();
        Assert.Equal(["Audience Entered", "Audience Exited", "Audience Entered", "Audience Exited"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(4, events.Select(e => e.GetProperty("messageId").GetString()).Distinct().Count());
        var position = Assert.Single(user.Journeys);
        Assert.True(position.Exited);
        Assert.Equal(2, position.Entries);
        Assert.Equal([1, 1, 2, 2], user.RecentTransitions.Where(t => t.StepKind == StepKind.SendToDestinations).Select(t => t.Epoch));
    }

    [Fact]
    public async Task A_paused_journey_takes_nobody_new_until_resumed()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();
        await scenario.TrackAsync("inside", FirstPurchase.OrderCompleted);

        var paused = await fixture.Journeys.PauseJourneyAsync(scenario.Journey.Id);
        await scenario.EnterOpenedEmailAsync("latecomer");
        await scenario.TrackAsync("inside", FirstPurchase.EmailOpened);
        var latecomerWhilePaused = await fixture.Journeys.GetUserAsync("latecomer", spaceId: scenario.SpaceId);
        var resumed = await fixture.Journeys.ResumeJourneyAsync(scenario.Journey.Id);
        await scenario.EnterOpenedEmailAsync("latecomer");

        Assert.Equal(JourneyStatus.Paused, paused.Status);
        Assert.Equal(JourneyStatus.Published, resumed.Status);
        Assert.Empty(latecomerWhilePaused.Journeys);
        Assert.Single((await fixture.Journeys.GetUserAsync("inside", spaceId: scenario.SpaceId)).Memberships);
        Assert.Single((await fixture.Journeys.GetUserAsync("latecomer", spaceId: scenario.SpaceId)).Memberships);
        Assert.Equal("journeyId", (await Assert.ThrowsAsync<JourneysValidationException>(async () =>
            await fixture.Journeys.PauseJourneyAsync((await fixture.Journeys.CreateJourneyAsync(
                new JourneyDefinition { Name = "Draft", EntryCondition = Condition.Performed("A") }, scenario.SpaceId)).Id))).Field);
    }
}
