using System.Net;
using System.Text.Json;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>The real silo process never shows the credentials or tokens a destination URL carries: API answers and pages mask them.</summary>
[Collection(StrictSiloCollection.Name)]
public sealed class SecretUrlTests(StrictSiloFixture fixture)
{
    [Fact]
    public async Task Api_answers_and_the_pipeline_page_mask_user_info_and_query_values()
    {
        var space = TestSpace.New();
        var created = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations", new
        {
            name = "Hook with secrets", kind = "Event", connector = "Webhook",
            webhookUrl = "https://alice:PASSWORD-31f0@203.0.113.7/hook?token=SECRET-88ab&team=crimson-5a#frag-SECRET",
        });
        var segment = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations", new
        {
            name = "Collector with secrets", kind = "Event", connector = "Segment",
            segmentHost = "https://TOKEN-ONLY-77c2@collector.example.com", segmentWriteKey = "wk_secret",
        });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var answers = new[]
        {
            await created.Content.ReadAsStringAsync(),
            await segment.Content.ReadAsStringAsync(),
            await (await fixture.ApiAsync(HttpMethod.Get, $"/api/destinations/{id}")).Content.ReadAsStringAsync(),
            await (await fixture.ApiAsync(HttpMethod.Get, $"/api/spaces/{space}/destinations")).Content.ReadAsStringAsync(),
            await (await fixture.ApiAsync(HttpMethod.Get, $"/journeys/pipelines?spaceId={space}")).Content.ReadAsStringAsync(),
        };

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Created, segment.StatusCode);
        Assert.Equal("https://alice:***@203.0.113.7/hook?token=***&team=***#***",
            JsonDocument.Parse(answers[2]).RootElement.GetProperty("webhookUrl").GetString());
        Assert.Equal("https://***@collector.example.com/", JsonDocument.Parse(answers[1]).RootElement.GetProperty("segmentHost").GetString());
        Assert.Contains("Hook with secrets", answers[4]);
        foreach (var answer in answers)
        {
            foreach (var secret in new[] { "PASSWORD-31f0", "SECRET", "TOKEN-ONLY-77c2", "crimson-5a" })
                Assert.DoesNotContain(secret, answer);
        }
    }
}
