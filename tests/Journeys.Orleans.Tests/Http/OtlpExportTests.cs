using System.Collections.Concurrent;
using System.Text;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Orleans.Tests.Http;

/// <summary>
/// A silo process with an OTLP endpoint exports its metrics and traces there: a collector on 127.0.0.1 speaking OTLP
/// over HTTP receives the project's instruments and the span of a delivery (protobuf keeps names as UTF-8 bytes).
/// </summary>
public sealed class OtlpExportTests
{
    private const string UrlSecret = "otlp-url-secret-5c1f";

    [Fact]
    public async Task Metrics_and_traces_reach_the_configured_collector()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var (collector, collectorUrl) = await LoopbackHttp.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue((request.Path.Value!, body.ToArray()));
            return Results.Ok();
        }));
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var silo = SiloProcess.Start(null, new Dictionary<string, string>
        {
            ["Telemetry__OtlpEndpoint"] = collectorUrl,
            ["Telemetry__OtlpProtocol"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        });
        try
        {
            Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
            await using (var client = await silo.ConnectClientAsync())
            {
                var scenario = await FirstPurchase.CreateAsync(client.Journeys);
                // A token in the webhook's URL is a secret: nothing exported may carry it.
                await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url + "?token=" + UrlSecret);
                await scenario.EnterOpenedEmailAsync("otlp-1");
            }
            await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n == 1);

            var exported = await Eventually.Until(() => Task.FromResult(received.ToList()), r =>
                Sent(r, "/v1/metrics", "journeys.transitions") && Sent(r, "/v1/metrics", "journeys.deliveries")
                && Sent(r, "/v1/traces", "journeys.deliver"), TimeSpan.FromSeconds(60));

            Assert.Single(receiver.Accepted);
            Assert.True(Sent(exported, "/v1/metrics", "journeys.transitions"), "the project's metrics were exported");
            Assert.True(Sent(exported, "/v1/metrics", "journeys.deliveries"));
            Assert.True(Sent(exported, "/v1/traces", "journeys.deliver"), "the delivery's span was exported");
            Assert.True(Sent(exported, "/v1/traces", "journeys-orleans"), "the spans name the service");
            Assert.True(Sent(exported, "/v1/traces", "/hook"), "the POST's span names the receiver's address");
            Assert.DoesNotContain(exported, r => Encoding.UTF8.GetString(r.Body).Contains(UrlSecret, StringComparison.Ordinal));
        }
        finally
        {
            await collector.DisposeAsync();
        }
    }

    private static bool Sent(IEnumerable<(string Path, byte[] Body)> received, string path, string name) =>
        received.Any(r => r.Path == path && Encoding.UTF8.GetString(r.Body).Contains(name, StringComparison.Ordinal));
}
