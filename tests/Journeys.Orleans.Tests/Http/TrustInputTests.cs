using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>
/// What an outside test of the running service sent (issue 11): compressed bodies, bad bytes, API binding errors and
/// connection defaults, against the real silo process over HTTP.
/// </summary>
public sealed class TrustInputTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Compress(byte[] body, string encoding)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            // HTTP's "deflate" is the zlib format (RFC 9110), as ASP.NET Core reads it.
            "deflate" => new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            "br" => new BrotliStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
        })
        {
            compressor.Write(body);
        }
        return buffer.ToArray();
    }

    /// <summary>POSTs raw bytes (which may be invalid UTF-8 or compressed) with the write key as basic auth user.</summary>
    private Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, string? writeKey, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (contentEncoding is not null) content.Headers.ContentEncoding.Add(contentEncoding);
        var request = new HttpRequestMessage(HttpMethod.Post, fixture.Silo.Url + path) { Content = content };
        if (writeKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Utf8(writeKey + ":")));
        return fixture.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> ApiBytesAsync(HttpMethod method, string path, byte[]? body)
    {
        var request = new HttpRequestMessage(method, fixture.Silo.Url + path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IngestionFixture.AdminToken);
        return fixture.Http.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<(string SpaceId, string WriteKey)> NewSpaceAsync()
    {
        var spaceId = TestSpace.New();
        return (spaceId, (await fixture.Journeys.CreateWriteKeyAsync(spaceId)).Key);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task A_compressed_body_is_accepted(string encoding)
    {
        var (spaceId, writeKey) = await NewSpaceAsync();
        var userId = "z_" + encoding;

        var single = await PostBytesAsync("/v1/identify", Compress(Utf8($$$"""{"userId":"{{{userId}}}","traits":{"plan":"pro"}}"""), encoding), writeKey, encoding);
        var batch = await PostBytesAsync("/v1/batch",
            Compress(Utf8($$$"""{"batch":[{"type":"identify","userId":"{{{userId}}}","traits":{"seats":"3"}}]}"""), encoding), writeKey, encoding);
        var user = await fixture.Journeys.GetUserAsync(userId, spaceId: spaceId);

        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal("pro", user.Traits["plan"]);
        Assert.Equal("3", user.Traits["seats"]);
    }

    [Fact]
    public async Task Segments_limits_apply_to_the_decompressed_body_and_a_bomb_is_refused()
    {
        var (spaceId, writeKey) = await NewSpaceAsync();
        // 40 KB of JSON that gzips to well under 32 KB: the limit is on what the call is, not on what was sent.
        var bigCall = Utf8("{\"userId\":\"z_big\",\"event\":\"Order Completed\",\"properties\":{\"blob\":\"" + new string('x', 40 * 1024) + "\"}}");
        // 64 MB of zeros in a gzip body of some 64 KB.
        var bomb = Compress(new byte[64 * 1024 * 1024], "gzip");

        var call = await PostBytesAsync("/v1/track", Compress(bigCall, "gzip"), writeKey, "gzip");
        var bombed = await PostBytesAsync("/v1/batch", bomb, writeKey, "gzip");
        var corrupt = await PostBytesAsync("/v1/track", [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7], writeKey, "gzip");
        var unknown = await PostBytesAsync("/v1/track", Utf8("""{"userId":"z_big","event":"x"}"""), writeKey, "zstd");

        Assert.True(bomb.Length < SegmentLimitBytes);
        Assert.Equal(HttpStatusCode.BadRequest, call.StatusCode);
        Assert.Contains("32 KB", await call.Content.ReadAsStringAsync());
        Assert.Contains(bombed.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge });
        Assert.Equal("body", (await JsonAsync(bombed)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, corrupt.StatusCode);
        Assert.Equal("body", (await JsonAsync(corrupt)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unknown.StatusCode);
        Assert.Contains("zstd", await unknown.Content.ReadAsStringAsync());
        Assert.Empty((await fixture.Journeys.GetUserAsync("z_big", spaceId: spaceId)).Traits);
    }

    private const int SegmentLimitBytes = 500 * 1024;

    public static TheoryData<string, string, string> BadBytes => new()
    {
        // path, body (\xFF stands for the invalid UTF-8 byte 0xFF), the field named
        { "/v1/track", """{"userId":"u\xFF","event":"x"}""", "userId" },
        { "/v1/track", """{"userId":"a\u0000b","event":"x"}""", "userId" },
        { "/v1/track", """{"userId":"a\ud800b","event":"x"}""", "userId" },
        { "/v1/track", """{"anonymousId":"a\u0000b","event":"x"}""", "anonymousId" },
        { "/v1/track", """{"userId":"ok","event":"x\udc00"}""", "event" },
        { "/v1/track", """{"userId":"ok","event":"x\xFF"}""", "event" },
        { "/v1/track", """{"userId":"ok","event":"x","properties":{"k\u0000":"v"}}""", "properties" },
        { "/v1/track", """{"userId":"ok","event":"x","properties":{"k\xFF":"v"}}""", "properties" },
        { "/v1/track", """{"userId":"ok","event":"x","properties":{"k":"v\ud800"}}""", "properties.k" },
        { "/v1/track", """{"userId":"ok","event":"x","properties":{"k":{"deep":"v\xFF"}}}""", "properties.k" },
        { "/v1/identify", """{"userId":"ok","traits":{"plan":"a\u0000"}}""", "traits.plan" },
        { "/v1/identify", """{"userId":"ok","traits":{"plan\ud800":"a"}}""", "traits" },
        { "/v1/identify", """{"userId":"ok","traits":{"plan":"\xFF"}}""", "traits.plan" },
        { "/v1/track", """{"userId":"ok","event":"x","messageId":"m\u0000"}""", "messageId" },
    };

    [Theory]
    [MemberData(nameof(BadBytes))]
    public async Task Bad_bytes_in_any_string_get_400_naming_the_field(string path, string body, string field)
    {
        var (_, writeKey) = await NewSpaceAsync();
        var bytes = Utf8(body.Replace("\\xFF", "\u0001")).Select(b => b == 0x01 ? (byte)0xFF : b).ToArray();

        var first = await PostBytesAsync(path, bytes, writeKey);
        var retry = await PostBytesAsync(path, bytes, writeKey);

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(field, (await JsonAsync(first)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, retry.StatusCode);
    }

    [Fact]
    public async Task A_batch_with_a_nul_id_applies_the_good_calls_and_names_the_bad_one()
    {
        var (spaceId, writeKey) = await NewSpaceAsync();
        var batch = Utf8("""
            {"batch":[
              {"type":"identify","userId":"z_ok1","traits":{"plan":"pro"}},
              {"type":"identify","userId":"z_\u0000bad","traits":{"plan":"pro"}},
              {"type":"identify","userId":"z_ok2","traits":{"plan":"free\udfff"}},
              {"type":"identify","userId":"z_ok3","traits":{"plan":"team"}}
            ]}
            """);

        var response = await PostBytesAsync("/v1/batch", batch, writeKey);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = body.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([1, 2], errors.Select(e => e.GetProperty("index").GetInt32()));
        Assert.Equal(["userId", "traits.plan"], errors.Select(e => e.GetProperty("field").GetString()));
        Assert.Equal("pro", (await fixture.Journeys.GetUserAsync("z_ok1", spaceId: spaceId)).Traits["plan"]);
        Assert.Equal("team", (await fixture.Journeys.GetUserAsync("z_ok3", spaceId: spaceId)).Traits["plan"]);
        Assert.Empty((await fixture.Journeys.GetUserAsync("z_ok2", spaceId: spaceId)).Traits);
    }

    public static TheoryData<string, string, string?, string> ApiBindingErrors => new()
    {
        // method, path ({space} and {destination} filled in), body (\xFF: the byte 0xFF), the field named
        { "POST", "/api/spaces/{space}/destinations", "{not json", "body" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":""", "name" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"d","kind":"Bogus"}""", "kind" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"d","kind":"Event","connector":"Recording","batchSize":"ten"}""", "batchSize" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"d","kind":"Event","connector":"Recording","batchSize":2147483648}""", "batchSize" },
        { "POST", "/api/spaces/{space}/destinations", "", "body" },
        { "POST", "/api/spaces/{space}/destinations", null, "body" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"d\xFF","kind":"List"}""", "name" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"d","kind":"List","x":""" + new string('[', 100) + new string(']', 100) + "}", "x" },
        { "POST", "/api/destinations/{destination}/replay", """{"messageIds":"all"}""", "messageIds" },
        // Text that cannot be stored (PostgreSQL refuses NUL; a lone surrogate has no UTF-8 form), anywhere in a request.
        { "POST", "/api/spaces/{space}/destinations", """{"name":"a\u0000b","kind":"List"}""", "name" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"a\ud800b","kind":"List"}""", "name" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"d","kind":"Event","connector":"Webhook","webhookUrl":"https://example.com/h","headers":{"X-A":"v\u0000"}}""", "headers.X-A" },
        { "POST", "/api/spaces/{space}/destinations", """{"name":"d","kind":"Event","connector":"Webhook","webhookUrl":"https://example.com/h","headers":{"X-\u0000":"v"}}""", "headers" },
        { "POST", "/api/spaces/{space}/journeys", """{"name":"J","entryCondition":{"kind":"PerformedEvent","eventName":"A\u0000"}}""", "entryCondition.eventName" },
        { "POST", "/api/destinations/{destination}/replay", """{"messageIds":["m1","m\u0000"]}""", "messageIds[1]" },
        { "GET", "/api/destinations/{destination}/dead-letters?limit=abc", null, "limit" },
        { "GET", "/api/destinations/{destination}/steps/stp_x/members?pageSize=abc", null, "pageSize" },
        { "GET", "/api/journeys/jny_x/steps/stp_x/members?pageSize=99999999999", null, "pageSize" },
    };

    [Theory]
    [MemberData(nameof(ApiBindingErrors))]
    public async Task Api_binding_errors_are_problems_naming_the_field(string method, string path, string? body, string field)
    {
        var space = TestSpace.New();
        var destination = await fixture.Journeys.CreateDestinationAsync(new Model.DestinationDefinition { Name = "L", Kind = Model.DestinationKind.List }, space);
        var bytes = body is null ? null : Utf8(body.Replace("\\xFF", "\u0001")).Select(b => b == 0x01 ? (byte)0xFF : b).ToArray();

        var response = await ApiBytesAsync(new HttpMethod(method), path.Replace("{space}", space).Replace("{destination}", destination.Id), bytes);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString());
        var problem = await JsonAsync(response);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("reason").GetString()));
        Assert.Single(await fixture.Journeys.ListDestinationsAsync(space));
        Assert.Empty(await fixture.Journeys.ListJourneysAsync(space));
    }

    [Theory]
    [InlineData("""{"sendTrack": true}""", true, false)]
    [InlineData("""{"sendIdentify": true}""", false, true)]
    [InlineData("""{"sendIdentify": false}""", true, false)]
    [InlineData("""{"sendTrack": false}""", false, true)]
    [InlineData("""{"sendTrack": true, "sendIdentify": true}""", true, true)]
    [InlineData("""{"booleanValues": true}""", true, true)]
    [InlineData(null, true, true)]
    public async Task Naming_one_of_sendTrack_or_sendIdentify_sets_the_other_to_its_opposite(string? settings, bool track, bool identify)
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        var body = settings is null ? $$"""{"destinationId":"{{recorder.Id}}"}""" : $$"""{"destinationId":"{{recorder.Id}}","settings":{{settings}}}""";

        var response = await ApiBytesAsync(HttpMethod.Post, $"/api/steps/{scenario.OpenedEmail.Id}/connections", Utf8(body));
        var step = await fixture.Journeys.GetStepAsync(scenario.OpenedEmail.Id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var connection = Assert.Single(step.Connections);
        Assert.Equal(track, connection.Settings.SendTrack);
        Assert.Equal(identify, connection.Settings.SendIdentify);
    }

    [Fact]
    public async Task The_OpenAPI_document_keeps_the_types_of_checked_and_defaulted_members()
    {
        var document = await JsonAsync(await fixture.Http.GetAsync(fixture.Silo.Url + "/openapi/v1.json"));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var settings = schemas.GetProperty("ConnectionSettings").GetProperty("properties");
        Assert.Equal("string", schemas.GetProperty("DestinationDefinition").GetProperty("properties").GetProperty("name").GetProperty("type").GetString());
        Assert.Equal("boolean", settings.GetProperty("sendTrack").GetProperty("type").GetString());
        Assert.Equal("boolean", settings.GetProperty("sendIdentify").GetProperty("type").GetString());
    }
}
