using System.Net;
using System.Net.Http.Headers;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>
/// A user's path through a journey (client and user page): each step visit with its stay, and each send with where it
/// stands at its destination — delivered, retrying with the next attempt's time, failed with the receiver's answer.
/// </summary>
public sealed class UserPathTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task Each_visit_shows_its_stay_and_each_send_where_it_stands_at_the_destination()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RetryAfterSeconds = 3600;
        receiver.Respond = (body, _) => body.Contains("\"userId\":\"ann\"") ? 400 : body.Contains("\"userId\":\"rex\"") ? 503 : 200;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
        await scenario.EnterOpenedEmailAsync("tim");
        await scenario.MoveOnAsync("tim");
        await scenario.EnterOpenedEmailAsync("ann");
        await scenario.EnterOpenedEmailAsync("rex");

        var tim = await PathWhenAsync(scenario, "tim", sends => sends.Count == 2 && sends.All(s => s.Outcome.State == PayloadState.Delivered));
        var ann = await PathWhenAsync(scenario, "ann", sends => sends.Any(s => s.Outcome.State == PayloadState.Failed));
        var rex = await PathWhenAsync(scenario, "rex", sends => sends.Any(s => s.Outcome.State == PayloadState.Retrying));

        var journey = Assert.Single(tim.Journeys);
        Assert.Equal(scenario.Journey.Id, journey.JourneyId);
        var opened = Assert.Single(journey.Visits, v => v.StepId == scenario.OpenedEmail.Id);
        Assert.True(opened.EnteredAt <= opened.LeftAt, "the visit of Opened Email has its entry and exit");
        Assert.Equal(
            [(TransitionDirection.Entered, PayloadState.Delivered), (TransitionDirection.Exited, PayloadState.Delivered)],
            opened.Sends.Select(s => (s.Direction, s.Outcome.State)));
        Assert.All(opened.Sends, s => Assert.Equal((webhook.Id, CallType.Track), (s.DestinationId, s.CallType)));
        var repeat = Assert.Single(journey.Visits, v => v.StepId == scenario.RepeatBuyers.Id);
        Assert.Null(repeat.LeftAt);
        Assert.Empty(repeat.Sends);
        // Visits are in the order they began.
        var visits = journey.Visits.ToList();
        Assert.True(visits.IndexOf(opened) < visits.IndexOf(repeat));

        var refused = Assert.Single(Sends(ann));
        Assert.Equal((PayloadState.Failed, 1), (refused.Outcome.State, refused.Outcome.Attempts));
        Assert.Contains("400", refused.Outcome.Detail);
        var retrying = Assert.Single(Sends(rex));
        Assert.True(retrying.Outcome.Attempts >= 1);
        var refusedAt = receiver.Requests.First(r => r.Body.Contains("\"userId\":\"rex\"")).At;
        Assert.True(retrying.Outcome.At > refusedAt, $"the next attempt ({retrying.Outcome.At}) comes after the refusal ({refusedAt})");

        var timPage = await PageAsync(scenario, "tim");
        var visit = timPage.Single($"ol.path li.visit[data-step='{scenario.OpenedEmail.Id}']");
        Assert.StartsWith("stayed ", visit.Single(".stay").TextContent);
        Assert.Equal(["delivered", "delivered"], visit.QuerySelectorAll("li.send").Select(s => s.Single(".state").TextContent));
        Assert.StartsWith("there for ", timPage.Single($"ol.path li.visit[data-step='{scenario.RepeatBuyers.Id}'] .stay").TextContent);

        var annPage = await PageAsync(scenario, "ann");
        var failed = annPage.Single($"li.send.state-failed[data-destination='{webhook.Id}']");
        Assert.StartsWith("failed after 1 attempt", failed.Single(".state").TextContent);
        Assert.Contains("400", failed.Single(".answer").TextContent);
        Assert.Matches("^retrying: attempt [0-9]+ failed, next at ", (await PageAsync(scenario, "rex")).Single("li.send.state-retrying .state").TextContent);
    }

    private static List<PathSend> Sends(UserPath path) => path.Journeys.SelectMany(j => j.Visits).SelectMany(v => v.Sends).ToList();

    private async Task<UserPath> PathWhenAsync(FirstPurchase scenario, string userId, Func<List<PathSend>, bool> done)
    {
        var path = await Eventually.Until(() => fixture.Journeys.GetUserPathAsync(userId, spaceId: scenario.SpaceId), p => done(Sends(p)));
        Assert.True(done(Sends(path)), $"{userId}'s sends: {string.Join(", ", Sends(path).Select(s => $"{s.Direction} {s.Outcome.State}"))}");
        return path;
    }

    private async Task<AngleSharp.Dom.IDocument> PageAsync(FirstPurchase scenario, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.Silo.Url}/journeys/users?spaceId={scenario.SpaceId}&userKey=u:{userId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IngestionFixture.AdminToken);
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Html.Parse(await response.Content.ReadAsStringAsync());
    }
}
