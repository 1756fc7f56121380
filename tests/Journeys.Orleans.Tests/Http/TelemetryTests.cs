using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>
/// The real silo process's OpenTelemetry: the Prometheus endpoint behind the admin sign-in shows the project's counters
/// moved by exactly what happened, and the trace a Segment request starts reaches the receiver's traceparent.
/// </summary>
public sealed class TelemetryTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task The_scrape_shows_events_transitions_deliveries_and_backlog_moved_by_what_happened()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var failing = await WebhookReceiver.StartAsync();
        failing.StatusCode = 503;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var good = await scenario.AddWebhookAsync(receiver.Url, name: "Good");
        var down = await scenario.AddWebhookAsync(failing.Url, name: "Down");
        foreach (var destination in new[] { good, down })
            await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, destination.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        var writeKey = (await fixture.Journeys.CreateWriteKeyAsync(scenario.SpaceId)).Key;
        var before = await ScrapeAsync();

        // Two users enter "Opened Email"; the batch also holds one call without an event, and one request has a wrong key.
        var batch = await fixture.PostAsync("/v1/batch", """
            {"batch":[
              {"type":"track","userId":"m1","event":"Order Completed"},
              {"type":"track","userId":"m2","event":"Order Completed"},
              {"type":"track","userId":"m1","event":"Email Opened"},
              {"type":"track","userId":"m2","event":"Email Opened"},
              {"type":"track","userId":"m3"},
              {"type":"identify","userId":"m1","traits":{"plan":"pro"}}
            ]}
            """, writeKey);
        var unauthorized = await fixture.PostAsync("/v1/track", """{"userId":"m1","event":"Order Completed"}""", "not-a-write-key");
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n == 2);
        var transitions = new List<Transition>();
        foreach (var user in new[] { "m1", "m2" })
            transitions.AddRange((await fixture.Journeys.GetUserAsync(user, spaceId: scenario.SpaceId)).RecentTransitions.Where(t => t.JourneyId == scenario.Journey.Id));

        var after = await Eventually.Until(ScrapeAsync, s =>
            Delta(before, s, "journeys_deliveries_total", ("destination", good.Id), ("outcome", "delivered")) == 2
            && Delta(before, s, "journeys_deliveries_total", ("destination", down.Id), ("outcome", "retried")) >= 2
            && s.Sum("journeys_outbox_depth", ("destination", down.Id)) == 2);
        var journey = ("journey", scenario.Journey.Id);

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(4, Delta(before, after, "journeys_events_accepted_total", ("type", "track")));
        Assert.Equal(1, Delta(before, after, "journeys_events_accepted_total", ("type", "identify")));
        Assert.Equal(1, Delta(before, after, "journeys_events_refused_total", ("reason", "invalid")));
        Assert.Equal(1, Delta(before, after, "journeys_events_refused_total", ("reason", "unauthorized")));
        Assert.True(transitions.Count(t => t.Direction == TransitionDirection.Entered) >= 4, "each user entered the wait and the send step");
        Assert.Equal(transitions.Count(t => t.Direction == TransitionDirection.Entered),
            Delta(before, after, "journeys_transitions_total", journey, ("direction", "entered")));
        Assert.Equal(transitions.Count(t => t.Direction == TransitionDirection.Exited),
            Delta(before, after, "journeys_transitions_total", journey, ("direction", "exited")));
        Assert.Equal(2, Delta(before, after, "journeys_delivery_latency_seconds_count", ("destination", good.Id)));
        Assert.Equal(0, Delta(before, after, "journeys_deliveries_total", ("destination", down.Id), ("outcome", "delivered")));
        Assert.True(after.Sum("journeys_outbox_oldest_age_seconds", ("destination", down.Id)) > 0);
        Assert.Equal(0, after.Sum("journeys_outbox_depth", ("destination", good.Id)));
        // Orleans', ASP.NET Core's and the runtime's instruments are exported beside the project's.
        Assert.True(after.Has("http_server_request_duration_seconds_count"));
        Assert.Contains(after.Names, n => n.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.True(after.Has("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task The_endpoint_answers_only_the_admin()
    {
        var anonymous = await fixture.Http.GetAsync(fixture.Silo.Url + "/metrics");
        var wrong = new HttpRequestMessage(HttpMethod.Get, fixture.Silo.Url + "/metrics");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-token");
        var wrongAnswer = await fixture.Http.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
        Assert.DoesNotContain("journeys_", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_receiver_gets_the_trace_that_the_ingestion_request_started()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
        var writeKey = (await fixture.Journeys.CreateWriteKeyAsync(scenario.SpaceId)).Key;

        // No trace from the caller: the silo starts one and says which in traceresponse.
        var started = await fixture.PostAsync("/v1/batch", """
            {"batch":[{"type":"track","userId":"t1","event":"Order Completed"},{"type":"track","userId":"t1","event":"Email Opened"}]}
            """, writeKey);
        // A caller's sampled trace: the silo joins it.
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        var joined = new HttpRequestMessage(HttpMethod.Post, fixture.Silo.Url + "/v1/batch")
        {
            Content = new StringContent("""
                {"batch":[{"type":"track","userId":"t2","event":"Order Completed"},{"type":"track","userId":"t2","event":"Email Opened"}]}
                """, Encoding.UTF8, "application/json"),
        };
        joined.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        joined.Headers.Add("traceparent", $"00-{callerTrace}-{callerSpan}-01");
        var joinedAnswer = await fixture.Http.SendAsync(joined);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n == 2);

        var response = Parse(Assert.Single(started.Headers.GetValues("traceresponse")));
        var first = Parse(ReceivedBy(receiver, "t1").Headers["traceparent"]);
        var second = Parse(ReceivedBy(receiver, "t2").Headers["traceparent"]);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.Equal(HttpStatusCode.OK, joinedAnswer.StatusCode);
        Assert.Equal(response.TraceId, first.TraceId);
        Assert.NotEqual(response.SpanId, first.SpanId);
        Assert.Equal(callerTrace.ToString(), second.TraceId);
        Assert.Equal(callerTrace.ToString(), Parse(Assert.Single(joinedAnswer.Headers.GetValues("traceresponse"))).TraceId);
        Assert.NotEqual(callerSpan.ToString(), second.SpanId);
    }

    [Fact]
    public async Task Bad_telemetry_settings_stop_the_silo_with_each_one_named()
    {
        await using var silo = SiloProcess.Start(null, new Dictionary<string, string>
        {
            ["Telemetry__TraceSampleRatio"] = "1.5",
            ["Telemetry__OtlpEndpoint"] = "not a url",
            ["Telemetry__PrometheusPath"] = "metrics",
        });

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("Telemetry:TraceSampleRatio", silo.Output);
        Assert.Contains("Telemetry:OtlpEndpoint", silo.Output);
        Assert.Contains("Telemetry:PrometheusPath", silo.Output);
    }

    private static ReceivedRequest ReceivedBy(WebhookReceiver receiver, string userId) =>
        receiver.Accepted.Single(r => r.Json.GetProperty("userId").GetString() == userId);

    /// <summary>A W3C traceparent: <c>00-{trace id}-{span id}-{flags}</c>.</summary>
    private static (string TraceId, string SpanId) Parse(string traceParent)
    {
        var parts = traceParent.Split('-');
        Assert.Equal(4, parts.Length);
        Assert.Equal("00", parts[0]);
        Assert.Matches("^[0-9a-f]{32}$", parts[1]);
        Assert.DoesNotMatch("^0+$", parts[1]);
        return (parts[1], parts[2]);
    }

    private Task<PrometheusText> ScrapeAsync() => PrometheusText.ScrapeAsync(fixture.Http, fixture.Silo.Url, IngestionFixture.AdminToken);

    private static double Delta(PrometheusText before, PrometheusText after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
