using System.Net;
using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>Segment's HTTP tracking API on the real silo process, checked through the client library.</summary>
public sealed class SegmentIngestionTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private async Task<(FirstPurchase Scenario, DestinationInfo Recorder, string WriteKey)> ArrangeAsync()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync("Http Recorder");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id);
        await scenario.PublishAsync();
        var writeKey = await fixture.Journeys.CreateWriteKeyAsync(scenario.SpaceId);
        return (scenario, recorder, writeKey.Key);
    }

    [Fact]
    public async Task Alias_over_http_merges_the_visitor_and_the_api_and_the_user_page_find_the_person_by_either_id()
    {
        var (scenario, _, writeKey) = await ArrangeAsync();
        await fixture.PostAsync("/v1/track", """{"anonymousId":"http-visitor","event":"Order Completed"}""", writeKey);
        await fixture.PostAsync("/v1/track", """{"anonymousId":"http-visitor","event":"Email Opened"}""", writeKey);

        var missing = await fixture.PostAsync("/v1/alias", """{"userId":"http-person"}""", writeKey);
        var alias = await fixture.PostAsync("/v1/alias", """{"userId":"http-person","previousId":"http-visitor"}""", writeKey);
        var api = await fixture.ApiAsync(HttpMethod.Get, $"/api/spaces/{scenario.SpaceId}/anonymous-users/http-visitor");
        var page = await fixture.ApiAsync(HttpMethod.Get, $"/journeys/users?spaceId={scenario.SpaceId}&userKey=a:http-visitor");
        var html = Html.Parse(await page.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("previousId", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        var user = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("u:http-person", user.GetProperty("userKey").GetString());
        Assert.Equal(scenario.OpenedEmail.Id, user.GetProperty("memberships")[0].GetProperty("stepId").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("u:http-person", html.QuerySelector("h1")!.TextContent);
        Assert.Contains("http-visitor", html.QuerySelector("p.merged")!.TextContent);
    }

    [Fact]
    public async Task Track_and_identify_over_http_move_a_user_into_the_send_step()
    {
        var (scenario, recorder, writeKey) = await ArrangeAsync();

        var identify = await fixture.PostAsync("/v1/identify", """{"userId":"h_1","traits":{"plan":"pro","age":42,"vip":true}}""", writeKey);
        var order = await fixture.PostAsync("/v1/track", """{"userId":"h_1","event":"Order Completed","properties":{"total":12.5}}""", writeKey);
        var open = await fixture.PostAsync("/v1/track", """{"userId":"h_1","event":"Email Opened","messageId":"m-open-1"}""", writeKey);
        var payloads = await scenario.RecordedAsync(recorder.Id, 2);
        var user = await fixture.Journeys.GetUserAsync("h_1", spaceId: scenario.SpaceId);

        Assert.Equal(HttpStatusCode.OK, identify.StatusCode);
        Assert.Equal("""{"success":true}""", await order.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal($"{{\"{scenario.OpenedEmail.Key}\":\"true\"}}", payloads[0].GetProperty("properties").GetRawText());
        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(user.Memberships).StepId);
        Assert.Equal("pro", user.Traits["plan"]);
        Assert.Equal("42", user.Traits["age"]);
        Assert.Equal("true", user.Traits["vip"]);
    }

    [Fact]
    public async Task A_batch_applies_its_valid_calls_and_names_the_bad_one()
    {
        var (scenario, _, writeKey) = await ArrangeAsync();
        var batch = """
            {"batch":[
              {"type":"track","userId":"h_b","event":"Order Completed"},
              {"type":"track","event":"Email Opened"},
              {"type":"page","userId":"h_b","name":"Home"},
              {"type":"track","userId":"h_b","event":"Email Opened"}
            ]}
            """;

        var response = await fixture.PostAsync("/v1/batch", batch, writeKey);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var user = await fixture.Journeys.GetUserAsync("h_b", spaceId: scenario.SpaceId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.Equal("userId", error.GetProperty("field").GetString());
        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(user.Memberships).StepId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wk_thisisnotarealwritekeyatall000000")]
    [InlineData("not even the shape")]
    public async Task A_missing_or_wrong_write_key_gets_401_and_stores_nothing(string? writeKey)
    {
        var (scenario, _, _) = await ArrangeAsync();

        var response = await fixture.PostAsync("/v1/track", """{"userId":"h_401","event":"Order Completed"}""", writeKey);
        var user = await fixture.Journeys.GetUserAsync("h_401", spaceId: scenario.SpaceId);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("writeKey", await response.Content.ReadAsStringAsync());
        Assert.Empty(user.Journeys);
    }

    [Fact]
    public async Task A_revoked_write_key_gets_401()
    {
        var (scenario, _, writeKey) = await ArrangeAsync();
        var before = await fixture.PostAsync("/v1/track", """{"userId":"h_rev","event":"Signed In"}""", writeKey);

        await fixture.Journeys.RevokeWriteKeyAsync(writeKey, scenario.SpaceId);
        var after = await fixture.PostAsync("/v1/track", """{"userId":"h_rev","event":"Order Completed"}""", writeKey);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Empty((await fixture.Journeys.GetUserAsync("h_rev", spaceId: scenario.SpaceId)).Journeys);
        Assert.Empty(await fixture.Journeys.ListWriteKeysAsync(scenario.SpaceId));
    }

    [Fact]
    public async Task Bodies_over_Segments_limits_get_400_and_store_nothing()
    {
        var (scenario, _, writeKey) = await ArrangeAsync();
        var bigValue = new string('x', 33 * 1024);

        var call = await fixture.PostAsync("/v1/track",
            "{\"userId\":\"h_big\",\"event\":\"Order Completed\",\"properties\":{\"blob\":\"" + bigValue + "\"}}", writeKey);
        var hugeBatch = "{\"batch\":[" + string.Join(",", Enumerable.Range(0, 20).Select(_ =>
            "{\"type\":\"track\",\"userId\":\"h_big\",\"event\":\"Order Completed\",\"properties\":{\"blob\":\"" + new string('y', 30 * 1024) + "\"}}")) + "]}";
        var batch = await fixture.PostAsync("/v1/batch", hugeBatch, writeKey);

        Assert.Equal(HttpStatusCode.BadRequest, call.StatusCode);
        Assert.Contains("32 KB", await call.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, batch.StatusCode);
        Assert.Contains("500 KB", await batch.Content.ReadAsStringAsync());
        Assert.Empty((await fixture.Journeys.GetUserAsync("h_big", spaceId: scenario.SpaceId)).Journeys);
    }

    [Fact]
    public async Task Malformed_calls_get_400_naming_the_field()
    {
        var (_, _, writeKey) = await ArrangeAsync();

        var notJson = await fixture.PostAsync("/v1/track", "{not json", writeKey);
        var noEvent = await fixture.PostAsync("/v1/track", """{"userId":"h_m"}""", writeKey);
        var badTime = await fixture.PostAsync("/v1/track", """{"userId":"h_m","event":"A","timestamp":"yesterday"}""", writeKey);
        var notBatch = await fixture.PostAsync("/v1/batch", """{"batch":{}}""", writeKey);

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("body", JsonDocument.Parse(await notJson.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Equal("event", JsonDocument.Parse(await noEvent.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Equal("timestamp", JsonDocument.Parse(await badTime.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Equal("batch", JsonDocument.Parse(await notBatch.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_duplicate_messageId_moves_nobody_twice()
    {
        var (scenario, recorder, writeKey) = await ArrangeAsync();

        foreach (var (name, id) in new[] { ("Order Completed", "d-1"), ("Email Opened", "d-2"), ("Order Completed", "d-1"), ("Order Completed", "d-1") })
            Assert.Equal(HttpStatusCode.OK, (await fixture.PostAsync("/v1/track", $$"""{"userId":"h_dup","event":"{{name}}","messageId":"{{id}}"}""", writeKey)).StatusCode);
        var user = await fixture.Journeys.GetUserAsync("h_dup", spaceId: scenario.SpaceId);
        // The entry's track and identify; a duplicate applied would have added an exit's.
        var stats = await Pipeline.DrainedAsync(fixture.Journeys, recorder.Id, 2);

        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(user.Memberships).StepId);
        Assert.Equal(2, stats.Received);
        Assert.Equal(2, (await fixture.Journeys.GetRecordedAsync(recorder.Id)).Count);
    }
}
