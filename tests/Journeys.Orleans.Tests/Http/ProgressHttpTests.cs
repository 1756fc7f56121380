using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>
/// A backfill's progress through the real silo process: the management API's answer, and the journey page's bar with
/// the script that keeps it current, served by the silo under the pages' Content-Security-Policy.
/// </summary>
public sealed class ProgressHttpTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>A published journey whose backfill went through <paramref name="users"/> users and finished.</summary>
    private async Task<(string JourneyId, JsonElement Published)> BackfilledAsync(int users)
    {
        var spaceId = TestSpace.New();
        for (var i = 0; i < users; i++) await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = $"bar-{i}", Event = "Signed Up" });
        await UserDirectory.ListedAsync(fixture.Grains, spaceId, users);
        var journey = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{spaceId}/journeys/import", new
        {
            journey = new { name = "Progress bar", entryCondition = new { kind = "PerformedEvent", eventName = "Signed Up" }, backfillOnPublish = true },
            steps = new object[] { new { step = new { name = "Welcome", kind = "SendToDestinations" } } },
        }));
        var journeyId = journey.GetProperty("id").GetString()!;
        var published = await JsonAsync(await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/publish"));
        await Eventually.Until(() => fixture.Journeys.GetJourneyAsync(journeyId), j => j.Progress is { Running: false }, TimeSpan.FromSeconds(60));
        return (journeyId, published);
    }

    [Fact]
    public async Task The_api_answers_a_backfills_done_total_rate_start_and_end()
    {
        var (journeyId, published) = await BackfilledAsync(6);

        var response = await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journeyId}/progress");
        var answer = await JsonAsync(response);
        var unknown = await fixture.ApiAsync(HttpMethod.Get, "/api/journeys/jny_unknown/progress");
        var anonymous = await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journeyId}/progress", token: null);
        var openApi = await fixture.Http.GetAsync(fixture.Silo.Url + "/openapi/v1.json");
        var paths = (await JsonAsync(openApi)).GetProperty("paths");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(6, published.GetProperty("progress").GetProperty("total").GetInt64());
        Assert.Equal((journeyId, "Published", false), (answer.GetProperty("journeyId").GetString(), answer.GetProperty("status").GetString(),
            answer.GetProperty("backgroundWorkPending").GetBoolean()));
        var progress = answer.GetProperty("progress");
        Assert.Equal(("Backfill", 6L, 6L, false), (progress.GetProperty("kind").GetString(), progress.GetProperty("done").GetInt64(),
            progress.GetProperty("total").GetInt64(), progress.GetProperty("running").GetBoolean()));
        Assert.True(progress.GetProperty("ratePerSecond").GetDouble() > 0);
        var started = progress.GetProperty("startedAt").GetDateTimeOffset();
        var finished = progress.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.InRange(finished, started, DateTimeOffset.UtcNow);
        Assert.Equal(finished, progress.GetProperty("estimatedEnd").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        foreach (var path in new[] { "/api/journeys/{journeyId}/progress", "/api/destinations/{destinationId}/steps/{stepId}/list-sync" })
        {
            var get = paths.GetProperty(path).GetProperty("get").GetProperty("responses");
            Assert.Equal(["200", "400", "401", "404"], get.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task The_journey_page_shows_the_backfill_as_a_bar_and_the_silo_serves_the_script_that_updates_it()
    {
        var (journeyId, _) = await BackfilledAsync(4);
        var draft = await fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "No walk", EntryCondition = Condition.Performed("Signed Up") }, (await fixture.Journeys.GetJourneyAsync(journeyId)).SpaceId);

        var page = await GetAsync($"/journeys/journey?journeyId={journeyId}");
        var html = Html.Parse(await page.Content.ReadAsStringAsync());
        var draftPage = Html.Parse(await (await GetAsync($"/journeys/journey?journeyId={draft.Id}")).Content.ReadAsStringAsync());
        var script = await GetAsync("/journeys/assets/progress.js");
        var anonymousScript = await GetAsync("/journeys/assets/progress.js", token: null);

        var work = html.Single("div.work");
        var bar = work.Single("progress");
        Assert.Equal(("4", "4", "4 / 4"), (bar.GetAttribute("value"), bar.GetAttribute("max"), bar.TextContent));
        Assert.Equal(("Backfill", "false", $"/api/journeys/{journeyId}/progress", "progress"), (work.Single(".work-kind").TextContent,
            work.GetAttribute("data-running"), work.GetAttribute("data-progress-url"), work.GetAttribute("data-progress-field")));
        Assert.Matches(@"^4 / 4 users · [\d.]+/s · started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · finished \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$",
            work.Single(".work-text").TextContent);
        // The one script is the silo's own file: the policy allows no inline script.
        var scriptTag = html.Single("script");
        Assert.Equal(("/journeys/assets/progress.js", ""), (scriptTag.GetAttribute("src"), scriptTag.TextContent));
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries);
        Assert.Equal(["script-src 'self'"], directives.Where(d => d.StartsWith("script-src", StringComparison.Ordinal)));
        Assert.Equal(["connect-src 'self'"], directives.Where(d => d.StartsWith("connect-src", StringComparison.Ordinal)));
        Assert.Empty(draftPage.QuerySelectorAll("div.work, script"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        var code = await script.Content.ReadAsStringAsync();
        Assert.Contains("div.work[data-progress-url]", code);
        Assert.Contains("ends about ", code);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousScript.StatusCode);
    }

    [Fact]
    public async Task The_journey_page_shows_a_later_connections_backfill_as_a_bar()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishAsync();
        foreach (var user in new[] { "cb-1", "cb-2", "cb-3" }) await scenario.EnterOpenedEmailAsync(user);
        var later = await scenario.AddRecorderAsync("Later <recorder>");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, later.Id, new ConnectionSettings { SendIdentify = false });
        await Eventually.Until(() => fixture.Journeys.GetConnectBackfillAsync(scenario.OpenedEmail.Id, later.Id), s => !s.Running);

        var html = Html.Parse(await (await GetAsync($"/journeys/journey?journeyId={scenario.Journey.Id}")).Content.ReadAsStringAsync());

        var backfill = html.Single($"div.connect-backfill[data-step='{scenario.OpenedEmail.Id}'][data-destination='{later.Id}']");
        Assert.Contains("→ Later <recorder>", backfill.Single("small").TextContent);
        var work = backfill.Single("div.work");
        Assert.Equal(("ConnectBackfill", "3", "3"), (work.GetAttribute("data-kind"), work.Single("progress").GetAttribute("value"), work.Single("progress").GetAttribute("max")));
        Assert.Equal($"/api/steps/{scenario.OpenedEmail.Id}/connections/{later.Id}/backfill", work.GetAttribute("data-progress-url"));
        Assert.StartsWith("3 / 3 members · ", work.Single(".work-text").TextContent);
        Assert.Equal("/journeys/assets/progress.js", html.Single("script").GetAttribute("src"));
    }

    /// <summary>GETs a page with the admin token as a bearer token; <paramref name="token"/> null sends none.</summary>
    private Task<HttpResponseMessage> GetAsync(string path, string? token = IngestionFixture.AdminToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, fixture.Silo.Url + path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return fixture.Http.SendAsync(request);
    }
}
