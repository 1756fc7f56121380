using System.Net;
using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>
/// The real silo process with the default rules: webhooks, Segment collectors and list endpoints at internal addresses
/// are refused when saved and, for names, when connecting after DNS resolution.
/// </summary>
[Collection(StrictSiloCollection.Name)]
public sealed class OutgoingAddressTests(StrictSiloFixture fixture)
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://127.0.0.1:5080/api/spaces/spa_default/write-keys")]
    [InlineData("http://[::1]:30000/")]
    [InlineData("http://0.0.0.0:5432/")]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://172.16.5.4/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    public async Task A_webhook_at_an_internal_address_is_refused_when_saved_naming_the_field(string url)
    {
        var response = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{TestSpace.New()}/destinations",
            new { name = "Internal", kind = "Event", connector = "Webhook", webhookUrl = url });

        await AssertRefusedAsync(response, "webhookUrl");
    }

    [Fact]
    public async Task Segment_collectors_and_list_endpoints_are_checked_too_and_public_addresses_pass()
    {
        var space = TestSpace.New();
        var segment = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Internal collector", kind = "Event", connector = "Segment", segmentHost = "http://10.1.2.3", segmentWriteKey = "wk" });
        var list = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Internal list", kind = "List", listSyncUrl = "http://127.0.0.1:5432" });
        var outside = await fixture.ApiAsync(HttpMethod.Post, $"/api/spaces/{space}/destinations",
            new { name = "Outside", kind = "Event", connector = "Webhook", webhookUrl = "https://203.0.113.7/hook" });

        await AssertRefusedAsync(segment, "segmentHost");
        await AssertRefusedAsync(list, "listSyncUrl");
        Assert.Equal(HttpStatusCode.Created, outside.StatusCode);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting_and_nothing_internal_is_echoed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 400;
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        // Saved: "localhost" is a name, checked only once resolved.
        var webhook = await scenario.AddWebhookAsync(receiver.Url.Replace("127.0.0.1", "localhost"));
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("prober");
        var letters = await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1, TimeSpan.FromSeconds(30));

        var letter = Assert.Single(letters);
        Assert.Empty(receiver.Requests);
        Assert.Null(letter.Status);
        Assert.Null(letter.Response);
        Assert.Contains("refused: localhost resolves to", letter.Reason);
        Assert.Contains("loopback", letter.Reason);
    }

    [Fact]
    public async Task A_setting_that_is_not_a_network_stops_the_silo_at_start_up_naming_it()
    {
        await using var silo = SiloProcess.Start(null, new Dictionary<string, string> { ["Journeys__AllowedNetworks__0"] = "localhost" });

        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains("Journeys:AllowedNetworks", silo.Output);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains("Journeys:AllowedNetworks", problem.GetProperty("reason").GetString());
    }
}
