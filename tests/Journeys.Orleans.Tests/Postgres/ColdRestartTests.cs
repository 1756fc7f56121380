using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>Every silo of a cluster dies at once (kill -9); the first one started again serves promptly.</summary>
public sealed class ColdRestartTests
{
    private const string AdminToken = "cold-restart-admin-token";
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task After_kill_9_of_every_silo_the_first_restarted_silo_serves_within_20_seconds()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        var settings = new Dictionary<string, string>
        {
            ["Silo__ClusterId"] = "cold-" + Guid.NewGuid().ToString("N")[..8],
            ["Silo__ServiceId"] = "cold-restart",
            ["Management__AdminToken"] = AdminToken,
            // On failure, the output says what the joining silo waited for.
            ["Logging__LogLevel__Orleans.Runtime.MembershipService"] = "Information",
        };
        var first = SiloProcess.Start(connectionString, settings);
        var second = SiloProcess.Start(connectionString, settings);
        SiloProcess? restarted = null;
        try
        {
            Assert.True(await first.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the first silo did not start:\n" + first.Output);
            Assert.True(await second.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the second silo did not start:\n" + second.Output);
            using var http = new HttpClient();
            var writeKey = await CreateWriteKeyAsync(http, first.Url);
            Assert.Equal(HttpStatusCode.OK, (await TrackAsync(http, first.Url, writeKey, "before")).StatusCode);

            await first.KillAsync();
            await second.KillAsync();
            var clock = Stopwatch.StartNew();
            restarted = first.Restart();

            var serving = await restarted.WaitUntilServingAsync(Promptly);
            var healthAfter = clock.Elapsed;
            var tracked = serving && await Eventually.Until(
                async () => (await TrackAsync(http, restarted.Url, writeKey, "after")).StatusCode == HttpStatusCode.OK,
                ok => ok, Promptly - clock.Elapsed);
            Assert.True(serving && tracked && clock.Elapsed <= Promptly,
                $"serving {serving} after {healthAfter}, tracking {tracked} after {clock.Elapsed}:\n{restarted.Output}");
        }
        finally
        {
            if (restarted is not null) await restarted.DisposeAsync();
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    private static async Task<string> CreateWriteKeyAsync(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/api/spaces/spa_default/write-keys");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!;
    }

    private static async Task<HttpResponseMessage> TrackAsync(HttpClient http, string url, string writeKey, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url + "/v1/track")
        {
            Content = new StringContent($$"""{"userId":"{{userId}}","event":"Order Completed"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        try
        {
            return await http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }
    }
}
