using System.Net;
using System.Net.Http.Headers;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>
/// The dashboard pages of the real silo process (user timeline, journeys, one journey), rendered by headless Chromium
/// after signing in through <c>/journeys/login</c>, and their admin authentication.
/// </summary>
public sealed class DashboardPagesTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private const uint SendStepGreen = 0x2e7d32;

    /// <summary>Sends exactly the cookies a test gives, no more.</summary>
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    [Fact]
    public async Task A_users_timeline_shows_traits_memberships_and_transitions_newest_first()
    {
        var scenario = await PublishedAsync();
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent
            { SpaceId = scenario.SpaceId, UserId = "tim", Traits = new Dictionary<string, string?> { ["plan"] = "<b>gold</b>" } });
        await scenario.EnterOpenedEmailAsync("tim");
        await scenario.MoveOnAsync("tim");
        await Eventually.Until(() => fixture.Journeys.GetUserAsync("tim", spaceId: scenario.SpaceId),
            u => u.RecentTransitions.Count(t => t.StepKind == StepKind.SendToDestinations) == 3);

        var dom = Html.Parse(await HeadlessChromium.DumpDomAsync(LoginUrl($"/journeys/users?spaceId={scenario.SpaceId}&userKey=u:tim")));

        Assert.Equal("u:tim", dom.Single("h1").TextContent);
        // The trait's markup is shown as text, never parsed as markup.
        Assert.Contains("<b>gold</b>", dom.Texts("table.traits td"));
        Assert.Null(dom.QuerySelector("table.traits b"));
        var transitions = dom.QuerySelectorAll("table.transitions tr[data-sequence]")
            .Select(row => (row.Single("td.entered, td.exited").TextContent, row.Single("td.key").TextContent)).ToList();
        var waitForSecondOrder = (await fixture.Journeys.GetJourneyAsync(scenario.Journey.Id)).Steps[2].Key;
        Assert.Contains(("Exited", waitForSecondOrder), transitions);
        transitions = transitions.Where(t => t.Item2 == scenario.RepeatBuyers.Key || t.Item2 == scenario.OpenedEmail.Key).ToList();
        Assert.Equal(
            [("Entered", scenario.RepeatBuyers.Key), ("Exited", scenario.OpenedEmail.Key), ("Entered", scenario.OpenedEmail.Key)],
            transitions);
        var memberOf = dom.QuerySelectorAll("table.memberships tr[data-step]").Select(row => row.GetAttribute("data-step")).ToList();
        Assert.Contains(scenario.RepeatBuyers.Id, memberOf);
        Assert.DoesNotContain(scenario.OpenedEmail.Id, memberOf);
        Assert.Contains("First Purchase", dom.Texts("table.positions td a"));
    }

    [Fact]
    public async Task In_Chromium_no_card_of_a_twelve_step_journey_cuts_its_content_or_overlaps_another()
    {
        var spaceId = TestSpace.New();
        var journeys = fixture.Journeys;
        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition
            { Name = "A journey with a rather long name to wrap", EntryCondition = Condition.Performed("Signed Up") }, spaceId);
        async Task<StepInfo> AddAsync(StepDefinition step) => await journeys.AddStepAsync(journey.Id, step);
        await AddAsync(new StepDefinition { Name = "Plan?", Ref = "split", Kind = StepKind.MultiBranchSplit, Branches =
        [
            new StepBranch { Name = "pro", Condition = Condition.TraitIs("plan", "pro"), Next = "pro" },
            new StepBranch { Name = "everyone else", Next = "rest" },
        ] });
        var pro = await AddAsync(new StepDefinition { Name = "Pro customers who opened the welcome email twice", Ref = "pro", Kind = StepKind.SendToDestinations, Next = "merge" });
        await AddAsync(new StepDefinition { Name = "Everyone else", Ref = "rest", Kind = StepKind.SendToDestinations, Next = "merge" });
        await AddAsync(new StepDefinition { Name = "Wait for an order", Ref = "merge", Kind = StepKind.Condition, Condition = Condition.Performed("Order Completed") });
        for (var i = 0; i < 8; i++)
            await AddAsync(new StepDefinition { Name = $"Nudge {i}", Kind = i % 2 == 0 ? StepKind.SendToDestinations : StepKind.Condition, Condition = i % 2 == 0 ? null : Condition.Performed($"Event {i}") });
        foreach (var name in new[] { "Demo Recorder with a long name", "Demo Webhook", "Demo List" })
        {
            var destination = await journeys.CreateDestinationAsync(new DestinationDefinition
                { Name = name, Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);
            await journeys.ConnectAsync(pro.Id, destination.Id);
        }

        var problems = await HeadlessChromium.EvaluateAsync(LoginUrl($"/journeys/journey?journeyId={journey.Id}"), "/journeys/journey", """
            JSON.stringify((() => {
              // A card is the box the graph gives a step: the element around each step's own.
              const cards = [...document.querySelectorAll('.graph .step')].map(step => step.parentElement);
              const problems = [];
              for (const card of cards) {
                const step = card.querySelector('.step');
                if (step.scrollHeight > step.clientHeight + 1 || step.scrollWidth > step.clientWidth + 1) problems.push('cut ' + step.dataset.step);
                const box = card.getBoundingClientRect();
                for (const part of card.querySelectorAll('h3, .key, .detail, .connections, .members')) {
                  const inner = part.getBoundingClientRect();
                  if (inner.bottom > box.bottom + 1 || inner.right > box.right + 1) problems.push('outside ' + step.dataset.step);
                }
              }
              const boxes = cards.map(card => card.getBoundingClientRect());
              for (let i = 0; i < boxes.length; i++)
                for (let j = i + 1; j < boxes.length; j++) {
                  const a = boxes[i], b = boxes[j];
                  if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) problems.push('overlap ' + i + ' ' + j);
                }
              return { cards: cards.length, problems };
            })())
            """);

        var answer = System.Text.Json.JsonDocument.Parse(problems).RootElement;
        Assert.Equal(12, answer.GetProperty("cards").GetInt32());
        Assert.Equal("[]", answer.GetProperty("problems").GetRawText());
    }

    [Fact]
    public async Task The_journey_page_shows_its_steps_as_a_graph_with_their_keys_and_member_counts()
    {
        var scenario = await PublishedAsync();
        var journey = await fixture.Journeys.GetJourneyAsync(scenario.Journey.Id);
        foreach (var user in new[] { "graph-a", "graph-b", "graph-c" }) await scenario.TrackAsync(user, FirstPurchase.OrderCompleted);
        await scenario.EnterOpenedEmailAsync("graph-d");
        await scenario.EnterOpenedEmailAsync("graph-e");
        await scenario.MoveOnAsync("graph-e");

        var dom = Html.Parse(await HeadlessChromium.DumpDomAsync(LoginUrl($"/journeys/journey?journeyId={journey.Id}")));
        var members = Html.Parse(await HeadlessChromium.DumpDomAsync(LoginUrl($"/journeys/step?journeyId={journey.Id}&stepId={journey.Steps[0].Id}")));

        var cards = dom.QuerySelectorAll(".graph .step[data-step]");
        Assert.Equal(journey.Steps.Select(s => s.Id), cards.Select(card => card.GetAttribute("data-step")));
        Assert.Equal(
            [(journey.Steps[0].Id, journey.Steps[1].Id), (journey.Steps[1].Id, journey.Steps[2].Id), (journey.Steps[2].Id, journey.Steps[3].Id)],
            dom.QuerySelectorAll("svg path.edge").Select(edge => (edge.GetAttribute("data-from"), edge.GetAttribute("data-to"))));
        Assert.Equal(["3 in step", "1 in step", "1 in step", "1 in step"], cards.Select(card => card.Single("span.members > a").TextContent));
        Assert.Equal("3", members.Single("span.count").TextContent);
        Assert.Equal(["u:graph-a", "u:graph-b", "u:graph-c"], members.Texts("tr.member td:first-child a").Order());
        Assert.Equal(journey.Steps.Select(s => (s.Name, s.Key)), cards.Select(card => (card.Single("h3").TextContent, card.Single(".key").TextContent)));
        Assert.Contains(dom.Texts(".step .connections"), c => c.StartsWith("→ Recorder", StringComparison.Ordinal));
        Assert.Equal("Published", dom.Single(".status").TextContent);
    }

    [Fact]
    public async Task The_journey_page_draws_its_flow_in_numbers_entered_per_step_per_branch_and_exits_by_reason()
    {
        var spaceId = TestSpace.New();
        var journeys = fixture.Journeys;
        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition
            { Name = "Flow in numbers", EntryCondition = Condition.Performed("Signed Up"), ExitCondition = Condition.Performed("Unsubscribed") }, spaceId);
        var split = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Plan?", Ref = "plan", Kind = StepKind.TrueFalseSplit,
            Condition = Condition.TraitIs("plan", "pro"), Branches = [new StepBranch { Name = "pro", Next = "pro" }, new StepBranch { Name = "free", Next = "wait" }] });
        var pro = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Pro welcome", Ref = "pro", Kind = StepKind.SendToDestinations, Next = StepRefs.End });
        var wait = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Wait for activation", Ref = "wait", Kind = StepKind.Condition,
            Condition = Condition.Performed("Activated"), Next = StepRefs.End });
        await journeys.PublishAsync(journey.Id);
        Task TrackAsync(string user, string name) => journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = user, Event = name });

        // Two pro users take the first branch; three free ones wait: one activates (the end of their path), one unsubscribes (the exit event).
        foreach (var user in new[] { "pro-1", "pro-2" })
            await journeys.IdentifyAsync(new IdentifyEvent { SpaceId = spaceId, UserId = user, Traits = new Dictionary<string, string?> { ["plan"] = "pro" } });
        foreach (var user in new[] { "pro-1", "pro-2", "free-1", "free-2", "free-3" }) await TrackAsync(user, "Signed Up");
        await TrackAsync("free-1", "Activated");
        await TrackAsync("free-2", "Unsubscribed");

        var flow = await Eventually.Until(async () =>
            System.Text.Json.JsonDocument.Parse(await (await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journey.Id}/flow")).Content.ReadAsStringAsync()).RootElement.Clone(),
            f => f.GetProperty("entered").GetInt64() == 5 && f.GetProperty("exits").EnumerateObject().Sum(e => e.Value.GetInt64()) == 2);
        var response = await GetAsync($"/journeys/journey?journeyId={journey.Id}");
        var dom = Html.Parse(await ReadAsync(response));
        var hour = Html.Parse(await ReadAsync(await GetAsync($"/journeys/journey?journeyId={journey.Id}&window=1h")));
        var badWindow = await GetAsync($"/journeys/journey?journeyId={journey.Id}&window=forever");
        var unknown = await fixture.ApiAsync(HttpMethod.Get, "/api/journeys/jny_doesnotexist0000/flow");
        var badApiWindow = await fixture.ApiAsync(HttpMethod.Get, $"/api/journeys/{journey.Id}/flow?window=forever");

        Assert.Equal(5, flow.GetProperty("entered").GetInt64());
        Assert.Equal("24h", flow.GetProperty("window").GetString());
        Assert.Equal("5", dom.Single(".journey-entered b").TextContent);
        Assert.Equal("2", dom.Single(".journey-exited b").TextContent);
        Assert.Equal(("1", "1", "0", "0"), (
            dom.Single(".exit[data-reason='exit_event'] b").TextContent, dom.Single(".exit[data-reason='finished'] b").TextContent,
            dom.Single(".exit[data-reason='exit_time'] b").TextContent, dom.Single(".exit[data-reason='archived'] b").TextContent));
        string Card(StepInfo step, string part) => dom.Single($".graph .step[data-step='{step.Id}'] {part}").TextContent;
        Assert.Equal(("5", "5"), (Card(split, ".step-entered"), Card(split, ".step-exited")));
        Assert.Equal(("2", "0", "2 in step"), (Card(pro, ".step-entered"), Card(pro, ".step-exited"), Card(pro, ".members a")));
        Assert.Equal(("3", "2", "1 in step"), (Card(wait, ".step-entered"), Card(wait, ".step-exited"), Card(wait, ".members a")));
        var taken = dom.QuerySelectorAll($"svg text.branch-taken[data-from='{split.Id}']")
            .Select(t => (t.GetAttribute("data-branch"), t.GetAttribute("data-value"))).ToList();
        Assert.Equal([("0", "2"), ("1", "3")], taken);
        Assert.Equal("5", hour.Single(".journey-entered b").TextContent);
        Assert.Equal("last hour", hour.Single(".flow-summary strong.current").TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badApiWindow.StatusCode);
    }

    [Fact]
    public async Task Every_page_in_Chromium_keeps_its_content_inside_its_cards_draws_no_empty_chart_loads_nothing_from_outside_and_links_the_Orleans_dashboard()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync(receiver.Url, name: "A webhook with a name long enough to wrap inside its card, surely");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        foreach (var user in new[] { "every-1", "every-2" }) await scenario.EnterOpenedEmailAsync(user);
        await scenario.MoveOnAsync("every-1");
        await Eventually.Until(async () => System.Text.Json.JsonDocument.Parse(await (await fixture.ApiAsync(HttpMethod.Get,
            $"/api/destinations/{webhook.Id}/delivery/history")).Content.ReadAsStringAsync()).RootElement.GetProperty("delivered").GetInt64(), d => d == 3);
        var journey = scenario.Journey.Id;
        string[] pages =
        [
            $"/journeys/?spaceId={scenario.SpaceId}",
            $"/journeys/journey?journeyId={journey}",
            $"/journeys/journey?journeyId={journey}&window=1h",
            $"/journeys/step?journeyId={journey}&stepId={scenario.OpenedEmail.Id}",
            $"/journeys/users?spaceId={scenario.SpaceId}&userKey=u:every-1",
            $"/journeys/pipelines?spaceId={scenario.SpaceId}",
            $"/journeys/pipelines?spaceId={scenario.SpaceId}&window=24h",
        ];

        var measured = new Dictionary<string, System.Text.Json.JsonElement>();
        foreach (var page in pages)
            measured[page] = System.Text.Json.JsonDocument.Parse(
                await HeadlessChromium.EvaluateAsync(LoginUrl(page), page[..page.IndexOf('?')], PageChecks.Script)).RootElement.Clone();

        Assert.All(measured, m => Assert.True(m.Value.GetProperty("dashboardLinked").GetBoolean(), m.Key));
        // Nothing comes from a CDN: every script, stylesheet and request stays on the silo.
        Assert.All(measured, m => Assert.True(m.Value.GetProperty("outside").GetArrayLength() == 0, $"{m.Key} loads from outside: {m.Value.GetProperty("outside")}"));
        Assert.All(measured, m => Assert.True(m.Value.GetProperty("problems").GetArrayLength() == 0, $"{m.Key}: {m.Value.GetProperty("problems")}"));
        Assert.Equal(4, measured[pages[1]].GetProperty("cards").GetInt32());
        Assert.Equal(2, measured[pages[5]].GetProperty("charts").GetInt32());
        Assert.Equal(2, measured[pages[6]].GetProperty("charts").GetInt32());
    }

    [Fact]
    public async Task The_journeys_page_lists_the_spaces_journeys()
    {
        var scenario = await PublishedAsync();
        var draft = await fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "Draft <one>", EntryCondition = Condition.Performed("Signed Up") }, scenario.SpaceId);

        var html = Html.Parse(await ReadAsync(await GetAsync($"/journeys/?spaceId={scenario.SpaceId}")));

        var published = html.Single($"table.journeys tr[data-journey='{scenario.Journey.Id}']");
        var link = published.Single("a");
        Assert.Equal(($"/journeys/journey?journeyId={scenario.Journey.Id}", "First Purchase"), (link.GetAttribute("href"), link.TextContent));
        Assert.Equal("Published", published.Single("td.status").TextContent);
        Assert.Equal("4", published.Single("td.num.steps").TextContent);
        var other = html.Single($"table.journeys tr[data-journey='{draft.Id}']");
        Assert.Equal("Draft <one>", other.Single("a").TextContent);
        Assert.Null(other.QuerySelector("one"));
        Assert.Equal("Draft", other.Single("td.status").TextContent);
    }

    [Fact]
    public async Task Screenshots_of_the_journey_and_pipeline_pages_are_not_blank()
    {
        var scenario = await PublishedAsync();

        var journey = PngImage.Decode(await HeadlessChromium.ScreenshotAsync(LoginUrl($"/journeys/journey?journeyId={scenario.Journey.Id}")));
        var pipelines = PngImage.Decode(await HeadlessChromium.ScreenshotAsync(LoginUrl($"/journeys/pipelines?spaceId={scenario.SpaceId}")));

        foreach (var page in new[] { journey, pipelines })
        {
            Assert.Equal((1280, 900), (page.Width, page.Height));
            Assert.Equal(0xffffffu, page.Background);
            Assert.True(page.DistinctColours >= 16, page.ToString());
            Assert.True(page.NonBackgroundPixels >= 1280 * 900 / 50, page.ToString());
        }
        Assert.True(journey.Count(SendStepGreen) >= 500, $"the send steps' green borders: {journey.Count(SendStepGreen)} pixels");
    }

    [Fact]
    public async Task A_blank_page_is_seen_as_blank()
    {
        var blank = PngImage.Decode(await HeadlessChromium.ScreenshotAsync("data:text/html,<body style=\"background:%23fff\"></body>"));

        Assert.Equal(0xffffffu, blank.Background);
        Assert.Equal(1, blank.DistinctColours);
        Assert.Equal(0, blank.NonBackgroundPixels);
    }

    [Fact]
    public async Task Without_the_admin_token_every_page_answers_401()
    {
        var scenario = await PublishedAsync();
        string[] pages =
        [
            $"/journeys/?spaceId={scenario.SpaceId}", "/journeys", $"/journeys/journey?journeyId={scenario.Journey.Id}",
            $"/journeys/users?spaceId={scenario.SpaceId}&userKey=u:x", $"/journeys/pipelines?spaceId={scenario.SpaceId}",
        ];

        foreach (var page in pages)
        {
            var anonymous = await GetAsync(page, token: null);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("Sign in", await anonymous.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(page, token: "not-the-token")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(page, token: null, cookie: "journeys_admin=" + IngestionFixture.AdminToken)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(page)).StatusCode);
        }
        var dom = await HeadlessChromium.DumpDomAsync($"{fixture.Silo.Url}/journeys/journey?journeyId={scenario.Journey.Id}");
        Assert.Contains("Sign in", dom);
        Assert.DoesNotContain(scenario.OpenedEmail.Key, dom);
    }

    [Fact]
    public async Task The_orleans_dashboard_runs_under_its_content_security_policy_once_signed_in()
    {
        var anonymous = await HeadlessChromium.DumpDomAsync($"{fixture.Silo.Url}/dashboard/");
        var signedIn = await HeadlessChromium.DumpScriptedDomAsync(LoginUrl("/dashboard/"), TimeSpan.FromSeconds(5));

        Assert.Contains("Sign in", anonymous);
        Assert.DoesNotContain("Orleans Dashboard", anonymous);
        // The menu is drawn by the dashboard's own script: it ran, from this site, under the policy.
        Assert.Contains("<p>Reminders</p>", signedIn);
    }

    [Fact]
    public async Task The_login_sets_an_http_only_strict_cookie_and_redirects_only_to_pages()
    {
        var wrong = await LoginAsync("not-the-token", "/journeys/");
        var good = await LoginAsync(IngestionFixture.AdminToken, "/journeys/users?spaceId=spa_default");
        var elsewhere = await LoginAsync(IngestionFixture.AdminToken, "https://example.com/journeys/");
        var protocolRelative = await LoginAsync(IngestionFixture.AdminToken, "//example.com/journeys/");
        var api = await LoginAsync(IngestionFixture.AdminToken, "/api/spaces/spa_default/journeys");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal("/journeys/users?spaceId=spa_default", good.Headers.Location?.OriginalString);
        var cookie = Assert.Single(good.Headers.GetValues("Set-Cookie"));
        Assert.Matches("^journeys_admin=[^;]+; ", cookie);
        Assert.DoesNotContain(IngestionFixture.AdminToken, cookie);
        // One session for the pages and the Orleans dashboard.
        Assert.Contains("path=/;", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("httponly", cookie);
        Assert.All([elsewhere, protocolRelative, api], r => Assert.Equal("/journeys/", r.Headers.Location?.OriginalString));

        var withCookie = await GetAsync("/journeys/users?spaceId=spa_default", token: null, cookie: cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
    }

    [Fact]
    public async Task Bad_input_answers_400_naming_the_field()
    {
        await AssertBadAsync("/journeys/?spaceId=Not%20A%20Space", "spaceId");
        await AssertBadAsync("/journeys/users?spaceId=Not%20A%20Space&userKey=u:x", "spaceId");
        await AssertBadAsync("/journeys/pipelines?spaceId=spa_BAD", "spaceId");
        await AssertBadAsync("/journeys/users?spaceId=spa_default&userKey=x", "userKey");
        await AssertBadAsync("/journeys/journey?journeyId=stp_nope", "journeyId");
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/journeys/journey?journeyId=jny_doesnotexist0000")).StatusCode);
    }

    private async Task AssertBadAsync(string path, string field)
    {
        var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"field\":\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    private async Task<FirstPurchase> PublishedAsync()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id);
        await scenario.PublishAsync();
        return scenario;
    }

    [Fact]
    public async Task An_event_triggered_journey_made_over_the_api_shows_each_order_inside_on_the_user_page()
    {
        var space = TestSpace.New();
        var refused = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys", new
        {
            name = "Orders", entryCondition = new { kind = "TraitEquals", traitName = "plan", traitValue = "pro" }, entryIdentifier = "order_id",
        });
        var created = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/journeys", new
        {
            name = "Orders", entryCondition = new { kind = "PerformedEvent", eventName = "Order Completed" }, entryIdentifier = "order_id",
            exitAfter = "7.00:00:00",
        });
        var journeyId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var step = await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/steps",
            new { name = "Thanks", kind = "SendToDestinations", sendJourneyContext = true });
        await fixture.ApiAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/publish");
        var writeKey = (await fixture.Journeys.CreateWriteKeyAsync(space)).Key;
        foreach (var (order, total) in new[] { ("o-1", "12.5"), ("o-2", "99") })
        {
            var sent = await fixture.PostAsync("/v1/track",
                $$$"""{"userId":"shopper","event":"Order Completed","properties":{"order_id":"{{{order}}}","total":{{{total}}}}}""", writeKey);
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }
        await Eventually.Until(() => fixture.Journeys.GetUserAsync("shopper", spaceId: space), u => u.Journeys.Count == 2);

        var userPage = Html.Parse(await ReadAsync(await GetAsync($"/journeys/users?spaceId={space}&userKey=u:shopper")));
        var journeyPage = Html.Parse(await ReadAsync(await GetAsync($"/journeys/journey?journeyId={journeyId}")));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("entryIdentifier", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(step.IsSuccessStatusCode);
        var entries = userPage.QuerySelectorAll("table.positions small.entry").Select(e => e.TextContent).ToList();
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => e.Contains("entry for o-1") && e.Contains("total: 12.5"));
        Assert.Contains(entries, e => e.Contains("entry for o-2") && e.Contains("total: 99"));
        Assert.Contains("one entry per order_id", journeyPage.Body!.TextContent);
        Assert.Contains("sends the journey's context", journeyPage.Body!.TextContent);
    }

    /// <summary>The login URL that signs Chromium in and sends it on to <paramref name="page"/>.</summary>
    private string LoginUrl(string page) =>
        $"{fixture.Silo.Url}/journeys/login?token={Uri.EscapeDataString(IngestionFixture.AdminToken)}&returnUrl={Uri.EscapeDataString(page)}";

    private Task<HttpResponseMessage> GetAsync(string path, string? token = IngestionFixture.AdminToken, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, fixture.Silo.Url + path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> LoginAsync(string token, string returnUrl) =>
        Http.GetAsync($"{fixture.Silo.Url}/journeys/login?token={Uri.EscapeDataString(token)}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    private static async Task<string> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
