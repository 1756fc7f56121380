using System.Net;
using System.Text.Json;
using Journeys.Orleans.Tests.Support;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Journeys.Orleans.Tests.Http;

/// <summary>The management API of the real silo process: each endpoint's success, and each class of bad input.</summary>
public sealed class ManagementApiTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        if (field is not null) Assert.Equal(field, (await JsonAsync(response)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Without_the_admin_token_every_endpoint_answers_401()
    {
        var space = TestSpace.New();
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/spaces/{space}/journeys", token: null), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/write-keys", token: "wrong"), HttpStatusCode.Unauthorized);
        Assert.Empty(await fixture.Journeys.ListWriteKeysAsync(space));
    }

    [Fact]
    public async Task A_connection_chooses_its_identifiers_and_one_that_names_no_user_is_a_400_naming_the_field()
    {
        var space = TestSpace.New();
        var destinationId = (await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Ads list", kind = "List" }))).GetProperty("id").GetString()!;
        var journeyId = (await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys",
            new { name = "Ids Journey", entryCondition = new { kind = "PerformedEvent", eventName = "Signed Up" } }))).GetProperty("id").GetString()!;
        var stepId = (await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/steps",
            new { name = "Send", kind = "SendToDestinations" }))).GetProperty("id").GetString()!;

        var refused = await fixture.ApiAsync(HttpMethod.Post, $"/api/steps/{stepId}/connections",
            new { destinationId, settings = new { identifiers = new[] { "email" } } });
        var connected = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/steps/{stepId}/connections",
            new { destinationId, settings = new { identifiers = new[] { "userId", "email" }, hashIdentifiers = true } }));
        var backfill = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/steps/{stepId}/connections/{destinationId}/backfill"));

        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "settings.identifiers");
        var settings = connected.GetProperty("connections")[0].GetProperty("settings");
        Assert.Equal("[\"userId\",\"email\"]", settings.GetProperty("identifiers").GetRawText());
        Assert.True(settings.GetProperty("hashIdentifiers").GetBoolean());
        Assert.False(settings.TryGetProperty("identifiersInEffect", out _));
        Assert.False(backfill.GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task Journeys_steps_destinations_connections_and_members_over_the_api()
    {
        var space = TestSpace.New();

        var destination = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Api list", kind = "List" }));
        var journeyResponse = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys",
            new { name = "Api Journey", entryCondition = new { kind = "PerformedEvent", eventName = "Signed Up" } });
        var journey = await JsonAsync(journeyResponse);
        var journeyId = journey.GetProperty("id").GetString()!;
        var step = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/steps",
            new { name = "Api Step", kind = "SendToDestinations" }));
        var stepId = step.GetProperty("id").GetString()!;
        var destinationId = destination.GetProperty("id").GetString()!;
        var connected = await fixture.ApiAsync(HttpMethod.Post, $"/api/steps/{stepId}/connections", new { destinationId });
        var renamed = await JsonAsync(await fixture.ApiAsync(HttpMethod.Patch, $"/api/steps/{stepId}", new { name = "Renamed Step" }));
        var published = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/publish"));
        await fixture.Journeys.TrackAsync(new Model.TrackEvent { SpaceId = space, UserId = "api_user", Event = "Signed Up" });
        var members = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{destinationId}/steps/{stepId}/members?pageSize=10"));
        var count = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{destinationId}/steps/{stepId}/members/count"));
        var user = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/spaces/{space}/users/api_user"));
        var listed = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/spaces/{space}/journeys"));
        var fetched = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journeyId}"));
        var destinations = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/spaces/{space}/destinations"));

        Assert.Equal(HttpStatusCode.Created, journeyResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.Matches("^j_o_api_journey__api_step_[a-z0-9]{6}$", step.GetProperty("key").GetString());
        Assert.Equal(step.GetProperty("key").GetString(), renamed.GetProperty("key").GetString());
        Assert.Equal("Published", published.GetProperty("status").GetString());
        Assert.Equal("api_user", members.GetProperty("members")[0].GetProperty("userId").GetString());
        Assert.Equal(1, count.GetProperty("count").GetInt64());
        Assert.Equal(stepId, user.GetProperty("memberships")[0].GetProperty("stepId").GetString());
        Assert.Equal(journeyId, listed[0].GetProperty("id").GetString());
        Assert.Equal("Renamed Step", fetched.GetProperty("steps")[0].GetProperty("name").GetString());
        Assert.Equal(destinationId, destinations[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Bad_input_is_a_problem_naming_the_field_and_changes_nothing()
    {
        var space = TestSpace.New();
        var journey = await fixture.Journeys.CreateJourneyAsync(new Model.JourneyDefinition { Name = "J", EntryCondition = Model.Condition.Performed("A") }, space);

        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Hook", kind = "Event", connector = "Webhook", webhookUrl = "ftp://nope" }), HttpStatusCode.BadRequest, "webhookUrl");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys",
            new { name = "", entryCondition = new { kind = "PerformedEvent", eventName = "A" } }), HttpStatusCode.BadRequest, "name");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journey.Id}/steps",
            new { name = "Wait", kind = "Condition" }), HttpStatusCode.BadRequest, "condition");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journey.Id}/publish"), HttpStatusCode.BadRequest, "steps");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, "/api/spaces/Not-A-Space/journeys"), HttpStatusCode.BadRequest, "spaceId");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, "/api/journeys/jny_doesnotexist0000"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, "/api/destinations/dst_doesnotexist0000"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, "/api/steps/not-a-step"), HttpStatusCode.BadRequest, "stepId");
        var malformed = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations", new { name = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Empty(await fixture.Journeys.ListDestinationsAsync(space));
        Assert.Empty((await fixture.Journeys.GetJourneyAsync(journey.Id)).Steps);
        Assert.Single(await fixture.Journeys.ListJourneysAsync(space));
    }

    [Fact]
    public async Task An_event_destination_without_a_connector_is_refused_naming_the_field_while_a_list_needs_none()
    {
        var space = TestSpace.New();

        // Without the check the connector's zero value, Recording, would take every payload and send none anywhere.
        var forgotten = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Forgot the connector", kind = "Event", webhookUrl = "https://203.0.113.7/hook" });
        var noKind = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations", new { name = "Kind left out" });
        var refusedNames = new[] { forgotten, noKind }.Select(r => r.StatusCode).ToArray();
        var field = (await JsonAsync(forgotten)).GetProperty("field").GetString();
        var list = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations", new { name = "A list", kind = "List" });
        var recorder = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Named recorder", kind = "Event", connector = "Recording" });

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest], refusedNames);
        Assert.StartsWith("application/problem+json", forgotten.Content.Headers.ContentType?.ToString());
        Assert.Equal("connector", field);
        Assert.Equal(HttpStatusCode.Created, list.StatusCode);
        Assert.Equal(HttpStatusCode.Created, recorder.StatusCode);
        Assert.Equal(["A list", "Named recorder"], (await fixture.Journeys.ListDestinationsAsync(space)).Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Write_keys_delivery_status_dead_letters_and_replay_over_the_api()
    {
        var space = TestSpace.New();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 400;
        var created = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/write-keys");
        var key = (await JsonAsync(created)).GetProperty("key").GetString()!;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync(receiver.Url, new Dictionary<string, string> { ["X-Secret"] = "never-shown-1234" });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new Model.ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        await scenario.EnterOpenedEmailAsync("api_dead");
        await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1);

        var keys = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/spaces/{space}/write-keys"));
        var letters = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{webhook.Id}/dead-letters?limit=10"));
        var badLimit = await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{webhook.Id}/dead-letters?limit=0");
        receiver.StatusCode = 200;
        var replay = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/destinations/{webhook.Id}/replay", new { messageIds = (string[]?)null }));
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n == 1);
        var delivery = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{webhook.Id}/delivery"));
        var paused = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/destinations/{webhook.Id}/pause"));
        var resumed = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/destinations/{webhook.Id}/resume"));
        var shown = await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{webhook.Id}");
        var revoked = await fixture.ApiAsync(HttpMethod.Delete, $"/api/spaces/{space}/write-keys/{key}");
        var revokeUnknown = await fixture.ApiAsync(HttpMethod.Delete, $"/api/spaces/{space}/write-keys/wk_unknownunknownunknown");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(key, keys[0].GetProperty("key").GetString());
        Assert.Equal(400, letters[0].GetProperty("status").GetInt32());
        await AssertProblemAsync(badLimit, HttpStatusCode.BadRequest, "limit");
        Assert.Equal(1, replay.GetProperty("replayed").GetInt32());
        Assert.Equal(0, replay.GetProperty("skipped").GetInt32());
        Assert.Equal(1, delivery.GetProperty("delivered").GetInt64());
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.DoesNotContain("never-shown-1234", await shown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        await AssertProblemAsync(revokeUnknown, HttpStatusCode.BadRequest, "writeKey");
        Assert.Empty(await fixture.Journeys.ListWriteKeysAsync(space));
    }

    [Fact]
    public async Task The_OpenAPI_document_is_valid_and_describes_the_api()
    {
        var response = await fixture.Http.GetAsync(fixture.Silo.Url + "/openapi/v1.json");
        await using var stream = await response.Content.ReadAsStreamAsync();

        var (document, diagnostic) = await OpenApiDocument.LoadAsync(stream, "json", new OpenApiReaderSettings());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(diagnostic?.Errors ?? []);
        Assert.NotNull(document);
        foreach (var path in new[] { "/api/spaces/{spaceId}/journeys", "/api/journeys/{journeyId}/publish", "/api/destinations/{destinationId}/replay",
                     "/api/steps/{stepId}/connections", "/api/spaces/{spaceId}/write-keys", "/api/spaces/{spaceId}/journeys/import",
                     "/api/journeys/{journeyId}/export", "/api/journeys/{journeyId}/versions", "/api/journeys/{journeyId}/clone",
                     "/api/journeys/{journeyId}/archive", "/api/journeys/{journeyId}/steps/counts", "/api/journeys/{journeyId}/steps/{stepId}/members" })
            Assert.Contains(path, document!.Paths.Keys);
        // Each error answer is in the document, as a problem: bad input, an unknown id, no sign-in.
        var getJourney = document!.Paths["/api/journeys/{journeyId}"].Operations![HttpMethod.Get];
        Assert.Equal(["200", "400", "401", "404"], getJourney.Responses!.Keys.Order(StringComparer.Ordinal));
        foreach (var status in new[] { "400", "401", "404" })
            Assert.Contains("application/problem+json", getJourney.Responses[status].Content!.Keys);
        var createDestination = document.Paths["/api/spaces/{spaceId}/destinations"].Operations![HttpMethod.Post];
        Assert.Contains("201", createDestination.Responses!.Keys);
        Assert.Contains("400", createDestination.Responses.Keys);
    }

    private static object Document(string name, string? lastNext = null) => new
    {
        journey = new { name, entryCondition = new { kind = "PerformedEvent", eventName = "Signed Up" }, allowReEntry = false },
        steps = new object[]
        {
            new { step = new { name = "Which plan", @ref = "plan", kind = "TrueFalseSplit", condition = new { kind = "Trait", traitName = "plan", comparison = "Equals", traitValue = "pro" },
                branches = new[] { new { name = "pro", next = "pro" }, new { name = "free", next = "free" } } } },
            new { step = new { name = "Pro", @ref = "pro", kind = "SendToDestinations", next = "end" } },
            new { step = new { name = "Free", @ref = "free", kind = "SendToDestinations", next = lastNext } },
        },
    };

    [Fact]
    public async Task Journey_documents_versions_clones_archive_and_step_members_over_the_api()
    {
        var space = TestSpace.New();

        var imported = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys/import", Document("Api Graph"));
        var journey = await JsonAsync(imported);
        var journeyId = journey.GetProperty("id").GetString()!;
        var validated = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys/validate", Document("Api Graph")));
        var exported = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journeyId}/export"));
        var replaced = await JsonAsync(await fixture.ApiAsync(HttpMethod.Put, $"/api/journeys/{journeyId}/steps", exported.GetProperty("steps")));
        await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/publish");
        await fixture.Journeys.TrackAsync(new Model.TrackEvent { SpaceId = space, UserId = "graph_user", Event = "Signed Up" });
        var freeStepId = journey.GetProperty("steps")[2].GetProperty("id").GetString();
        var counts = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journeyId}/steps/counts"));
        var members = await JsonAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journeyId}/steps/{freeStepId}/members?pageSize=10"));
        var version = await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/versions");
        var clone = await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/clone", new { name = "Api Graph Copy" });
        var archived = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/archive"));

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.True(validated.GetProperty("valid").GetBoolean());
        Assert.Equal("TrueFalseSplit", exported.GetProperty("steps")[0].GetProperty("step").GetProperty("kind").GetString());
        Assert.Equal("end", exported.GetProperty("steps")[1].GetProperty("step").GetProperty("next").GetString());
        Assert.Equal(journey.GetProperty("steps")[0].GetProperty("key").GetString(), replaced.GetProperty("steps")[0].GetProperty("key").GetString());
        Assert.Equal([0L, 0L, 1L], counts.EnumerateArray().Select(c => c.GetProperty("members").GetInt64()));
        Assert.Equal("u:graph_user", members.GetProperty("members")[0].GetProperty("userKey").GetString());
        Assert.Equal(HttpStatusCode.Created, version.StatusCode);
        Assert.Equal(2, (await JsonAsync(version)).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.Created, clone.StatusCode);
        Assert.Equal("Api Graph Copy", (await JsonAsync(clone)).GetProperty("name").GetString());
        Assert.Equal("Archived", archived.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Bad_journey_documents_and_lifecycle_calls_are_problems_naming_the_field()
    {
        var space = TestSpace.New();
        var draft = await fixture.Journeys.CreateJourneyAsync(new Model.JourneyDefinition { Name = "Draft only", EntryCondition = Model.Condition.Performed("A") }, space);

        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys/import", Document("Broken", lastNext: "nowhere")),
            HttpStatusCode.BadRequest, "steps[2].next");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys/validate", Document(new string('x', 74))),
            HttpStatusCode.BadRequest, "name");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys/import", Document("Loop", lastNext: "plan")),
            HttpStatusCode.BadRequest, "steps[2]");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/Not-A-Space/journeys/import", Document("Bad space")),
            HttpStatusCode.BadRequest, "spaceId");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{draft.Id}/versions"), HttpStatusCode.BadRequest, "journeyId");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{draft.Id}/clone", new { name = "" }), HttpStatusCode.BadRequest, "name");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{draft.Id}/steps/stp_missing/members"), HttpStatusCode.BadRequest, "stepId");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/jny_missing/export"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Put, $"/api/journeys/{draft.Id}/steps",
            new object[] { new { step = new { name = "Loose", kind = "SendToDestinations", next = "ghost" }, connections = (object?)null } }),
            HttpStatusCode.BadRequest, "steps[0].next");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys/import",
            new { journey = new { name = "No entry", entryCondition = (object?)null }, steps = Array.Empty<object>() }), HttpStatusCode.BadRequest, "entryCondition");
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/jny_missing/archive"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/nope/steps/counts"), HttpStatusCode.BadRequest, "journeyId");

        Assert.Equal([draft.Id], (await fixture.Journeys.ListJourneysAsync(space)).Select(j => j.Id));
    }
}
