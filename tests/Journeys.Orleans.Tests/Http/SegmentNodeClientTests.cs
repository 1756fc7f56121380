using System.Diagnostics;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>Segment's official Node client (<c>@segment/analytics-node</c>, installed by ./test.sh), pointed at the silo.</summary>
public sealed class SegmentNodeClientTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static string ScriptFolder => Path.Combine(
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SiloProcess.SiloDll)!, "..", "..", "..", "..", "..")), "tests", "segment-node");

    [Fact]
    public async Task Segments_node_client_moves_a_user_into_the_send_step_and_the_webhook_gets_the_seed_payloads()
    {
        Assert.True(Directory.Exists(Path.Combine(ScriptFolder, "node_modules", "@segment", "analytics-node")),
            "@segment/analytics-node is not installed: run ./test.sh, which runs npm ci in tests/segment-node");
        await using var receiver = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await scenario.AddWebhookAsync(receiver.Url);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id);
        await scenario.PublishAsync();
        var writeKey = await fixture.Journeys.CreateWriteKeyAsync(scenario.SpaceId);

        var start = new ProcessStartInfo("node") { WorkingDirectory = ScriptFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("send.mjs");
        start.Environment["JOURNEYS_HOST"] = fixture.Silo.Url;
        start.Environment["JOURNEYS_WRITE_KEY"] = writeKey.Key;
        start.Environment["JOURNEYS_USER_ID"] = "node_user";
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync() + await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n >= 2);
        var user = await fixture.Journeys.GetUserAsync("node_user", spaceId: scenario.SpaceId);

        Assert.True(node.ExitCode == 0, output);
        Assert.Equal("pro", user.Traits["plan"]);
        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(user.Memberships).StepId);
        var bodies = receiver.Requests.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["track", "identify"], bodies.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("Audience Entered", bodies[0].GetProperty("event").GetString());
        Assert.Equal($"{{\"{scenario.OpenedEmail.Key}\":\"true\"}}", bodies[0].GetProperty("properties").GetRawText());
        Assert.Equal($"{{\"{scenario.OpenedEmail.Key}\":\"true\"}}", bodies[1].GetProperty("traits").GetRawText());
    }
}
