using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class PayloadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_destination_connected_later_is_told_of_the_members_once_in_the_background_and_then_of_their_exits()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var first = await scenario.AddRecorderAsync("First");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, first.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        var members = Enumerable.Range(0, 5).Select(i => $"late-{i}").ToList();
        foreach (var user in members) await scenario.EnterOpenedEmailAsync(user);
        await scenario.EnterOpenedEmailAsync("late-gone");
        await scenario.MoveOnAsync("late-gone");

        var later = await scenario.AddRecorderAsync("Later");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, later.Id, new ConnectionSettings { SendIdentify = false });
        var done = await Eventually.Until(() => fixture.Journeys.GetConnectBackfillAsync(scenario.OpenedEmail.Id, later.Id), s => !s.Running);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, later.Id, new ConnectionSettings { SendIdentify = false, BooleanValues = true });
        await scenario.EnterOpenedEmailAsync("late-new");
        await scenario.MoveOnAsync(members[0]);
        var told = await scenario.RecordedAsync(later.Id, 7);

        Assert.Equal((5L, 5L, 5L), (done.Visited, done.Total, done.Told));
        Assert.NotNull(done.FinishedAt);
        Assert.Equal((WorkKind.ConnectBackfill, 5L, 5L, done.FinishedAt), (done.Progress!.Kind, done.Progress.Done, done.Progress.Total, done.Progress.FinishedAt));
        var entered = told.Where(p => p.GetProperty("event").GetString() == "Audience Entered").ToList();
        Assert.Equal(members.Append("late-new").Order(), entered.Select(p => p.GetProperty("userId").GetString()!).Order());
        Assert.All(members, user => Assert.Contains(entered, p =>
            p.GetProperty("messageId").GetString() == scenario.ExpectedMessageId(user, TransitionDirection.Entered, later.Id)));
        Assert.Equal(members[0], Assert.Single(told, p => p.GetProperty("event").GetString() == "Audience Exited").GetProperty("userId").GetString());
        Assert.DoesNotContain(told, p => p.GetProperty("userId").GetString() == "late-gone");
        // Changing the connection's settings is no new connection: no second walk.
        Assert.Equal(done, await fixture.Journeys.GetConnectBackfillAsync(scenario.OpenedEmail.Id, later.Id));
    }

    [Fact]
    public async Task A_connection_that_asks_for_email_gets_it_hashed_where_Segment_puts_it_and_the_latest_one()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var ads = await scenario.AddRecorderAsync("Ads");
        var plain = await scenario.AddRecorderAsync("Plain");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, ads.Id,
            new ConnectionSettings { Identifiers = ["userId", "email", "plan"], HashIdentifiers = true });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, plain.Id);
        await scenario.PublishAsync();

        await fixture.Journeys.IdentifyAsync(new IdentifyEvent
        {
            SpaceId = scenario.SpaceId, UserId = "ids_1", AnonymousId = "anon_1",
            Traits = new Dictionary<string, string?> { ["email"] = "Test@Example.com", ["plan"] = "pro" },
        });
        await scenario.EnterOpenedEmailAsync("ids_1");
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent
        {
            SpaceId = scenario.SpaceId, UserId = "ids_1", Traits = new Dictionary<string, string?> { ["email"] = "new@example.com" },
        });
        await scenario.MoveOnAsync("ids_1");
        var payloads = await scenario.RecordedAsync(ads.Id, 4);
        var unchanged = await scenario.RecordedAsync(plain.Id, 4);

        const string hashed = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
        var newHash = Payloads.PayloadIdentifiers.Hash("new@example.com");
        Assert.Equal($"{{\"email\":\"{hashed}\",\"plan\":\"pro\"}}", payloads[0].GetProperty("context").GetProperty("traits").GetRawText());
        Assert.Equal(hashed, payloads[1].GetProperty("traits").GetProperty("email").GetString());
        Assert.Equal(newHash, payloads[2].GetProperty("context").GetProperty("traits").GetProperty("email").GetString());
        Assert.Equal(newHash, payloads[3].GetProperty("traits").GetProperty("email").GetString());
        Assert.All(payloads, p => Assert.False(p.TryGetProperty("anonymousId", out _)));
        Assert.All(unchanged, p => Assert.Equal("anon_1", p.GetProperty("anonymousId").GetString()));
        Assert.All(unchanged, p => Assert.False(p.GetProperty("context").TryGetProperty("traits", out _)));
    }

    [Fact]
    public async Task An_event_destination_receives_the_seeds_four_payloads_in_order()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync("My Recorder");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id);
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_123");
        await scenario.MoveOnAsync("u_123");
        var payloads = await scenario.RecordedAsync(recorder.Id, 4);

        var key = scenario.OpenedEmail.Key;
        Assert.Equal(4, payloads.Count);
        AssertSeedPayload(payloads[0], "track", "Audience Entered", "properties", $"{{\"{key}\":\"true\"}}");
        AssertSeedPayload(payloads[1], "identify", null, "traits", $"{{\"{key}\":\"true\"}}");
        AssertSeedPayload(payloads[2], "track", "Audience Exited", "properties", $"{{\"{key}\":\"false\"}}");
        AssertSeedPayload(payloads[3], "identify", null, "traits", $"{{\"{key}\":\"false\"}}");

        foreach (var payload in payloads)
        {
            Assert.Equal("u_123", payload.GetProperty("userId").GetString());
            Assert.Matches("^jrn_[0-9a-f]{32}$", payload.GetProperty("messageId").GetString());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", payload.GetProperty("timestamp").GetString());
            var personas = payload.GetProperty("context").GetProperty("personas");
            Assert.Equal("audience", personas.GetProperty("computation_class").GetString());
            Assert.Equal($"{scenario.Journey.Id}:{scenario.OpenedEmail.Id}", personas.GetProperty("computation_id").GetString());
            Assert.Equal(key, personas.GetProperty("computation_key").GetString());
            Assert.Equal(scenario.SpaceId, personas.GetProperty("namespace").GetString());
            Assert.Equal(scenario.SpaceId, personas.GetProperty("space_id").GetString());
            Assert.Equal("{\"All\":false,\"My Recorder\":true}", payload.GetProperty("integrations").GetRawText());
        }
    }

    [Fact]
    public async Task The_boolean_setting_sends_json_booleans()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id, new ConnectionSettings { BooleanValues = true });
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_bool");
        await scenario.MoveOnAsync("u_bool");
        var payloads = await scenario.RecordedAsync(recorder.Id, 4);

        var key = scenario.OpenedEmail.Key;
        Assert.Equal($"{{\"{key}\":true}}", payloads[0].GetProperty("properties").GetRawText());
        Assert.Equal($"{{\"{key}\":true}}", payloads[1].GetProperty("traits").GetRawText());
        Assert.Equal($"{{\"{key}\":false}}", payloads[2].GetProperty("properties").GetRawText());
        Assert.Equal($"{{\"{key}\":false}}", payloads[3].GetProperty("traits").GetRawText());
    }

    [Fact]
    public async Task A_connection_with_custom_event_names_and_track_only_sends_just_that()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id,
            new ConnectionSettings { SendIdentify = false, EnteredEventName = "Step Joined", ExitedEventName = "Step Left" });
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_custom");
        await scenario.MoveOnAsync("u_custom");
        var payloads = await scenario.RecordedAsync(recorder.Id, 2);
        // Every payload the user handed the destination is counted as received: an identify call would be a third.
        var stats = await Pipeline.DrainedAsync(fixture.Journeys, recorder.Id, 2);

        Assert.Equal(["Step Joined", "Step Left"], payloads.Select(p => p.GetProperty("event").GetString()));
        Assert.Equal(2, stats.Received);
        Assert.Equal(2, (await fixture.Journeys.GetRecordedAsync(recorder.Id)).Count);
    }

    [Fact]
    public async Task An_anonymous_user_is_sent_with_anonymousId()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        foreach (var name in new[] { FirstPurchase.OrderCompleted, FirstPurchase.EmailOpened })
            await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, AnonymousId = "anon-7", Event = name });
        var payload = Assert.Single(await scenario.RecordedAsync(recorder.Id, 1));

        Assert.Equal("anon-7", payload.GetProperty("anonymousId").GetString());
        Assert.False(payload.TryGetProperty("userId", out _));
    }

    private static void AssertSeedPayload(JsonElement payload, string type, string? eventName, string bag, string expectedBag)
    {
        Assert.Equal(type, payload.GetProperty("type").GetString());
        if (eventName is null) Assert.False(payload.TryGetProperty("event", out _));
        else Assert.Equal(eventName, payload.GetProperty("event").GetString());
        Assert.Equal(expectedBag, payload.GetProperty(bag).GetRawText());
    }
}
