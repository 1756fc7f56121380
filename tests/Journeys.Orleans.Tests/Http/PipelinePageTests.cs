using System.Net;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>The delivery pipeline page of the real silo process shows each destination's counters to the admin.</summary>
public sealed class PipelinePageTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task The_page_shows_received_delivered_and_failed_per_destination()
    {
        await using var good = await WebhookReceiver.StartAsync();
        await using var refusing = await WebhookReceiver.StartAsync();
        refusing.StatusCode = 400;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var ok = await scenario.AddWebhookAsync(good.Url, name: "Good <hook>");
        var bad = await scenario.AddWebhookAsync(refusing.Url, name: "Refusing");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, ok.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, bad.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        foreach (var user in new[] { "p1", "p2", "p3" }) await scenario.EnterOpenedEmailAsync(user);
        await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(bad.Id), l => l.Count == 3);
        await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(ok.Id), s => s.Delivered == 3);

        var response = await GetAsync($"/journeys/pipelines?spaceId={scenario.SpaceId}");
        var html = Html.Parse(await response.Content.ReadAsStringAsync());
        var badSpace = await GetAsync("/journeys/pipelines?spaceId=Not%20A%20Space");
        var anonymous = await GetAsync($"/journeys/pipelines?spaceId={scenario.SpaceId}", token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3", Cell(html, ok.Id, "received"));
        Assert.Equal("3", Cell(html, ok.Id, "delivered"));
        Assert.Equal("0", Cell(html, ok.Id, "failed"));
        Assert.Equal("3", Cell(html, bad.Id, "failed"));
        Assert.Equal("0", Cell(html, bad.Id, "skipped"));
        Assert.Contains("HTTP 400", Row(html, bad.Id).Single("td.failures").TextContent);
        Assert.StartsWith("Good <hook>", Row(html, ok.Id).Single("td.name").TextContent);
        Assert.Null(Row(html, ok.Id).QuerySelector("hook"));
        Assert.Equal(HttpStatusCode.BadRequest, badSpace.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain(ok.Id, await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task After_real_deliveries_the_charts_draw_the_stored_counts_and_the_failures_show_the_receivers_answer()
    {
        await using var good = await WebhookReceiver.StartAsync();
        await using var refusing = await WebhookReceiver.StartAsync();
        refusing.StatusCode = 400;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var ok = await scenario.AddWebhookAsync(good.Url, name: "Charted");
        var bad = await scenario.AddWebhookAsync(refusing.Url, name: "Refusing");
        var quiet = await scenario.AddRecorderAsync("Never connected");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, ok.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, bad.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        foreach (var user in new[] { "c1", "c2", "c3", "c4" }) await scenario.EnterOpenedEmailAsync(user);
        await scenario.MoveOnAsync("c1");

        // 5 payloads each (4 entered, 1 exited): the good receiver takes them, the other refuses them for good.
        var stored = await Eventually.Until(() => HistoryAsync(ok.Id), h => h.GetProperty("delivered").GetInt64() == 5);
        var refused = await Eventually.Until(() => HistoryAsync(bad.Id), h => h.GetProperty("failed").GetInt64() == 5);
        var response = await GetAsync($"/journeys/pipelines?spaceId={scenario.SpaceId}&window=1h");
        var html = Html.Parse(await response.Content.ReadAsStringAsync());
        var day = Html.Parse(await (await GetAsync($"/journeys/pipelines?spaceId={scenario.SpaceId}&window=24h")).Content.ReadAsStringAsync());
        var badWindow = await GetAsync($"/journeys/pipelines?spaceId={scenario.SpaceId}&window=7y");
        var badApiWindow = await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{ok.Id}/delivery/history?window=7y");
        var anonymousApi = await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{ok.Id}/delivery/history", token: null);
        var unknownApi = await fixture.ApiAsync(HttpMethod.Get, "/api/destinations/dst_doesnotexist0000/delivery/history");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, stored.GetProperty("delivered").GetInt64());
        Assert.Equal(60, stored.GetProperty("points").GetArrayLength());
        Assert.True(stored.GetProperty("p99Seconds").GetDouble() > 0);
        Assert.Equal(5, refused.GetProperty("failed").GetInt64());
        var charted = html.Single($"section.history[data-destination='{ok.Id}']");
        // What the bars say is what is stored, point by point.
        var bars = charted.QuerySelectorAll("svg.chart.counts rect.bar")
            .Select(bar => (Outcome: bar.GetAttribute("data-outcome"), Start: bar.GetAttribute("data-start"), Value: long.Parse(bar.GetAttribute("data-value")!))).ToList();
        Assert.NotEmpty(bars);
        Assert.Equal(5, bars.Where(b => b.Outcome == "delivered").Sum(b => b.Value));
        var storedPoints = stored.GetProperty("points").EnumerateArray()
            .Where(p => p.GetProperty("delivered").GetInt64() > 0)
            .Select(p => (p.GetProperty("start").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), p.GetProperty("delivered").GetInt64()));
        Assert.Equal(storedPoints, bars.Where(b => b.Outcome == "delivered").Select(b => (b.Start!, b.Value)));
        Assert.NotEmpty(charted.QuerySelectorAll("svg.chart.latency circle.point.p50"));
        Assert.NotEmpty(charted.QuerySelectorAll("svg.chart.latency circle.point.p99"));
        Assert.Equal("5", charted.Single(".totals .delivered").TextContent);
        var refusedCard = html.Single($"section.history[data-destination='{bad.Id}']");
        Assert.Equal(5, refusedCard.QuerySelectorAll("svg.chart.counts rect.bar.failed").Sum(b => long.Parse(b.GetAttribute("data-value")!)));
        var failures = refusedCard.QuerySelectorAll(".last-failures li.failure");
        Assert.Equal(5, failures.Length);
        Assert.All(failures, f => Assert.Equal("HTTP 400", f.Single(".status").TextContent));
        Assert.All(failures, f => Assert.Contains("refused by the test receiver", f.Single("pre.answer").TextContent));
        Assert.Contains("no answers", html.Single($"section.history[data-destination='{quiet.Id}']").Single("p.empty").TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(html.QuerySelectorAll($"section.history[data-destination='{quiet.Id}'] svg"));
        Assert.Single(day.Single($"section.history[data-destination='{ok.Id}']").QuerySelectorAll("svg.chart.counts"));
        Assert.All(day.QuerySelectorAll("rect.bar"), bar => Assert.EndsWith("0:00Z", bar.GetAttribute("data-start"))); // 10-minute points
        Assert.Equal(5, day.Single($"section.history[data-destination='{ok.Id}']").QuerySelectorAll("rect.bar.delivered").Sum(b => long.Parse(b.GetAttribute("data-value")!)));
        Assert.Equal("Last day", day.Single(".windows strong.current").TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, badWindow.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badApiWindow.StatusCode);
        Assert.Contains("window", await badApiWindow.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousApi.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownApi.StatusCode);

        // The screenshot shows the bars: the delivered green and the failed red, far more of each than the legend's squares.
        var shot = PngImage.Decode(await HeadlessChromium.ScreenshotAsync(LoginUrl($"/journeys/pipelines?spaceId={scenario.SpaceId}"), height: 2400));
        Assert.True(shot.Count(0x2e7d32) >= 400, $"delivered bars: {shot.Count(0x2e7d32)} pixels");
        Assert.True(shot.Count(0xc62828) >= 400, $"failed bars: {shot.Count(0xc62828)} pixels");

        // In Chromium: every chart drawn has visible bars or dots, and nothing in a card runs outside it, at a narrow width too.
        foreach (var width in new[] { 1400, 700 })
        {
            var measured = await HeadlessChromium.EvaluateAsync(LoginUrl($"/journeys/pipelines?spaceId={scenario.SpaceId}"), "/journeys/pipelines", PageChecks.Script, width: width);
            var answer = System.Text.Json.JsonDocument.Parse(measured).RootElement;
            Assert.Equal(3, answer.GetProperty("cards").GetInt32());
            Assert.Equal(3, answer.GetProperty("charts").GetInt32()); // counts and latency of the one that delivered, counts of the refused one
            Assert.Equal("[]", answer.GetProperty("problems").GetRawText());
        }
    }

    [Fact]
    public async Task The_chart_check_fails_on_an_empty_chart_and_on_content_wider_than_its_card()
    {
        await using var good = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var ok = await scenario.AddWebhookAsync(good.Url, name: "Checked");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, ok.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        await scenario.EnterOpenedEmailAsync("chk");
        await Eventually.Until(() => HistoryAsync(ok.Id), h => h.GetProperty("delivered").GetInt64() == 1);

        // The same check, run after the page was spoiled the two ways it guards against: it must see both.
        var spoiled = await HeadlessChromium.EvaluateAsync(LoginUrl($"/journeys/pipelines?spaceId={scenario.SpaceId}"), "/journeys/pipelines", """
            (() => {
              document.querySelectorAll('svg.chart.counts rect.bar').forEach(bar => bar.remove());
              const wide = document.createElement('div');
              wide.style.width = '5000px';
              wide.textContent = 'too wide';
              document.querySelector('section.history .last-failures').appendChild(wide);
              return
            """ + " " + PageChecks.Script + "; })()");

        var problems = System.Text.Json.JsonDocument.Parse(spoiled).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("empty chart", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("overflow", StringComparison.Ordinal));
    }

    private async Task<System.Text.Json.JsonElement> HistoryAsync(string destinationId, string window = "1h")
    {
        var response = await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{destinationId}/delivery/history?window={window}");
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private string LoginUrl(string page) =>
        $"{fixture.Silo.Url}/journeys/login?token={Uri.EscapeDataString(IngestionFixture.AdminToken)}&returnUrl={Uri.EscapeDataString(page)}";

    /// <summary>GETs a page with the admin token as a bearer token; <paramref name="token"/> null sends none.</summary>
    private Task<HttpResponseMessage> GetAsync(string path, string? token = IngestionFixture.AdminToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, fixture.Silo.Url + path);
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return fixture.Http.SendAsync(request);
    }

    private static AngleSharp.Dom.IElement Row(AngleSharp.Dom.IDocument html, string destinationId) =>
        html.Single($"table.pipelines tr[data-destination='{destinationId}']");

    private static string Cell(AngleSharp.Dom.IDocument html, string destinationId, string column) =>
        Row(html, destinationId).Single($"td.{column}").TextContent;
}
