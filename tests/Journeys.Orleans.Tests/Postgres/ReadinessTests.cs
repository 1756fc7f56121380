using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>The silo process while its PostgreSQL is stopped and started again: readiness and ingestion say so.</summary>
public sealed class ReadinessTests
{
    private const string AdminToken = "readiness-admin-token-51f3";

    [Fact]
    public async Task While_the_database_is_away_readiness_fails_and_ingestion_answers_503_with_Retry_After()
    {
        await using var postgres = await StoppablePostgres.StartAsync();
        await using var silo = SiloProcess.Start(postgres.ConnectionString, new Dictionary<string, string>
        {
            ["Management__AdminToken"] = AdminToken,
            ["Ingestion__WriteKeyCacheDuration"] = "00:00:00",
        });
        Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var space = TestSpace.New();
        using var keyRequest = new HttpRequestMessage(HttpMethod.Post, $"{silo.Url}/api/spaces/{space}/write-keys");
        keyRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var writeKey = System.Text.Json.JsonDocument.Parse(await (await http.SendAsync(keyRequest)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("key").GetString()!;

        Task<HttpResponseMessage> TrackAsync(string userId) =>
            PostAsync("/v1/track", $$"""{"userId":"{{userId}}","event":"Order Completed"}""");
        // A new trait value: the user's state must be written, so an answer of 200 would be a call then lost.
        Task<HttpResponseMessage> IdentifyAsync(string userId, string plan) =>
            PostAsync("/v1/identify", $$$"""{"userId":"{{{userId}}}","traits":{"plan":"{{{plan}}}"}}""");
        Task<HttpResponseMessage> PostAsync(string path, string json)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, silo.Url + path)
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
            return http.SendAsync(request);
        }
        Task<HttpStatusCode> StatusAsync(string path) => http.GetAsync(silo.Url + path).ContinueWith(t => t.Result.StatusCode);

        var before = await TrackAsync("r_before");
        var readyBefore = await StatusAsync("/health/ready");

        await postgres.StopAsync();
        var readyDuring = await Eventually.Until(() => StatusAsync("/health/ready"), s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30));
        var healthDuring = await StatusAsync("/health");
        var liveDuring = await StatusAsync("/health/live");
        var during = await TrackAsync("r_during");
        var duringBody = await during.Content.ReadAsStringAsync();
        var knownUserDuring = await IdentifyAsync("r_before", "during");

        await postgres.StartAgainAsync();
        var readyAfter = await Eventually.Until(() => StatusAsync("/health/ready"), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var after = await Eventually.Until(() => TrackAsync("r_after"), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readyBefore);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuring);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthDuring);
        Assert.Equal(HttpStatusCode.OK, liveDuring);
        Assert.True(during.StatusCode == HttpStatusCode.ServiceUnavailable, $"during the outage: {(int)during.StatusCode} {duringBody}\n{silo.Output}");
        Assert.NotNull(during.Headers.RetryAfter);
        Assert.Contains("storage", duringBody);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, knownUserDuring.StatusCode);
        Assert.NotNull(knownUserDuring.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, readyAfter);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
