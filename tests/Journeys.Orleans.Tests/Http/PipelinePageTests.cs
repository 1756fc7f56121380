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
