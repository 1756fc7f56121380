using System.Diagnostics;
using Journeys.Orleans.Connectors;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>Segment's delivery rules against real HTTP receivers on 127.0.0.1.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeliveryTests(ClusterFixture fixture)
{
    private async Task<(FirstPurchase Scenario, DestinationInfo Webhook)> ArrangeAsync(
        WebhookReceiver receiver, string? secret = null, TimeSpan? maxRetry = null, bool identify = false)
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await fixture.Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Webhook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = receiver.Url,
            SigningSecret = secret, MaxRetryDuration = maxRetry,
        }, scenario.SpaceId);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = identify });
        await scenario.PublishAsync();
        return (scenario, webhook);
    }

    [Fact]
    public async Task A_receiver_that_answers_500_for_a_while_gets_everything_in_order_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, index) => index < 12 ? 500 : 200;
        var (scenario, webhook) = await ArrangeAsync(receiver);
        var users = Enumerable.Range(0, 8).Select(i => $"r500-{i}").ToList();

        foreach (var user in users)
        {
            await scenario.EnterOpenedEmailAsync(user);
            await scenario.MoveOnAsync(user);
        }
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= users.Count * 2, TimeSpan.FromSeconds(30));
        var stats = await fixture.Journeys.GetDeliveryStatsAsync(webhook.Id);

        var accepted = receiver.Accepted;
        Assert.Equal(users.Count * 2, accepted.Count);
        Assert.Equal(accepted.Count, accepted.Select(r => r.MessageId).Distinct().Count());
        foreach (var user in users)
        {
            var events = accepted.Where(r => r.Json.GetProperty("userId").GetString() == user).Select(r => r.Json.GetProperty("event").GetString());
            Assert.Equal(["Audience Entered", "Audience Exited"], events);
        }
        Assert.True(receiver.Requests.Count(r => r.Status == 500) >= 12);
        Assert.True(stats.Retries >= 12);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(0, stats.Pending);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_no_sooner_than_asked()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = (_, index) => index == 0 ? 429 : 200;
        receiver.RetryAfterSeconds = 2;
        var (scenario, _) = await ArrangeAsync(receiver);

        await scenario.EnterOpenedEmailAsync("r429");
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, TimeSpan.FromSeconds(15));

        var requests = receiver.Requests.ToList();
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.Equal(requests[0].MessageId, requests[1].MessageId);
        // The test cluster's own backoff starts at 100 ms; only Retry-After makes it wait 2 s.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {(requests[1].At - requests[0].At).TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task A_slow_receiver_gets_many_users_at_once_but_each_user_one_request_at_a_time_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(150);
        var (scenario, webhook) = await ArrangeAsync(receiver);
        var users = Enumerable.Range(0, 24).Select(i => $"par-{i}").ToList();

        // Each user enters "Opened Email" and leaves it at once: two payloads per user, queued behind the slow receiver.
        await Task.WhenAll(users.Select(async user =>
        {
            await scenario.EnterOpenedEmailAsync(user);
            await scenario.MoveOnAsync(user);
        }));
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= users.Count * 2, TimeSpan.FromSeconds(30));

        // More than one request per partition: the partitions themselves keep many in flight.
        Assert.True(receiver.MostInFlight > webhook.Partitions, $"requests held at once: {receiver.MostInFlight}, partitions: {webhook.Partitions}");
        Assert.Equal(1, receiver.MostInFlightForOneUser);
        foreach (var user in users)
        {
            Assert.Equal(
                new[] { "Audience Entered", "Audience Exited" },
                receiver.Accepted.Where(r => r.Json.GetProperty("userId").GetString() == user).Select(r => r.Json.GetProperty("event").GetString()));
        }
    }

    [Fact]
    public async Task A_400_is_dead_lettered_at_once_with_its_reason_and_replays_once_the_receiver_is_fixed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 400;
        var (scenario, webhook) = await ArrangeAsync(receiver);

        await scenario.EnterOpenedEmailAsync("r400");
        var letters = await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1);
        // Nothing pending and nothing waiting for a retry: the 400 was final, so no other request can come.
        var final = await Pipeline.DrainedAsync(fixture.Journeys, webhook.Id, 1);
        var requestsBeforeFix = receiver.Requests.Count;
        receiver.StatusCode = 200;
        var replayed = await fixture.Journeys.ReplayAsync(webhook.Id);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1);
        var after = await fixture.Journeys.GetDeliveryStatsAsync(webhook.Id);

        var letter = Assert.Single(letters);
        Assert.Equal(400, letter.Status);
        Assert.StartsWith("HTTP 400", letter.Reason);
        Assert.Contains("refused by the test receiver", letter.Response);
        Assert.Equal(scenario.ExpectedMessageId("r400", TransitionDirection.Entered, webhook.Id), letter.MessageId);
        Assert.Equal((1, 0L, 0L), (final.Failed, final.Retries, final.Received - final.Failed));
        Assert.Equal(1, requestsBeforeFix);
        Assert.Equal(new ReplayResult(1, 0), replayed);
        Assert.Equal(letter.MessageId, Assert.Single(receiver.Accepted).MessageId);
        Assert.Equal(0, after.Failed);
        Assert.Empty(await fixture.Journeys.GetDeadLettersAsync(webhook.Id));
    }

    [Fact]
    public async Task Replay_never_sends_an_entry_the_user_has_left_since_and_says_how_many_it_skipped()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var healed = new TaskCompletionSource();
        receiver.Respond = (body, _) => !healed.Task.IsCompleted && body.Contains("\"Audience Entered\"") ? 400 : 200;
        var (scenario, webhook) = await ArrangeAsync(receiver);
        var leavers = Enumerable.Range(0, 20).Select(i => $"leaver-{i}").ToList();
        const string stayer = "stayer";

        foreach (var user in leavers.Append(stayer)) await scenario.EnterOpenedEmailAsync(user);
        await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == leavers.Count + 1, TimeSpan.FromSeconds(30));
        healed.SetResult();
        foreach (var user in leavers) await scenario.MoveOnAsync(user);
        await Eventually.Until(() => Task.FromResult(AcceptedEvents(receiver, "Audience Exited").Count), n => n == leavers.Count, TimeSpan.FromSeconds(30));
        var result = await fixture.Journeys.ReplayAsync(webhook.Id);
        await Eventually.Until(() => Task.FromResult(AcceptedEvents(receiver, "Audience Entered").Count), n => n >= 1, TimeSpan.FromSeconds(30));
        var stats = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Pending == 0, TimeSpan.FromSeconds(30));

        Assert.Equal(new ReplayResult(1, leavers.Count), result);
        Assert.Equal([stayer], AcceptedEvents(receiver, "Audience Entered"));
        Assert.Equal(leavers.Order(), AcceptedEvents(receiver, "Audience Exited").Order());
        Assert.Empty(await fixture.Journeys.GetDeadLettersAsync(webhook.Id));
        Assert.Equal(leavers.Count, stats.Skipped);
        Assert.Equal(leavers.Count + 1, stats.Delivered);
        Assert.Equal(0, stats.Failed);
        Assert.Equal(stats.Delivered + stats.Skipped, stats.Received);
    }

    private static List<string?> AcceptedEvents(WebhookReceiver receiver, string eventName) => receiver.Accepted
        .Where(r => r.Json.GetProperty("event").GetString() == eventName)
        .Select(r => r.Json.GetProperty("userId").GetString())
        .ToList();

    [Fact]
    public async Task A_501_is_final_too()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 501;
        var (scenario, webhook) = await ArrangeAsync(receiver);

        await scenario.EnterOpenedEmailAsync("r501");
        var letters = await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1);
        var final = await Pipeline.DrainedAsync(fixture.Journeys, webhook.Id, 1);

        Assert.Equal(501, Assert.Single(letters).Status);
        Assert.Equal((1, 0L, 0L), (final.Failed, final.Retries, final.Received - final.Failed));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_timeout_is_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromSeconds(3);
        var (scenario, webhook) = await ArrangeAsync(receiver);

        await scenario.EnterOpenedEmailAsync("rtimeout");
        var retrying = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Retries >= 1, TimeSpan.FromSeconds(15));
        receiver.Delay = TimeSpan.Zero;
        var delivered = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Delivered == 1, TimeSpan.FromSeconds(15));

        Assert.Contains("timed out", retrying.LastFailures[^1].Reason);
        Assert.Equal(1, delivered.Delivered);
        Assert.Equal(0, delivered.Failed);
    }

    [Fact]
    public async Task A_dead_destination_does_not_slow_a_healthy_one_beside_it()
    {
        await using var healthy = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var good = await scenario.AddWebhookAsync(healthy.Url, name: "Healthy");
        var dead = await scenario.AddWebhookAsync($"http://127.0.0.1:{SiloProcess.FreePort()}/hook", name: "Dead");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, dead.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, good.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        var users = Enumerable.Range(0, 20).Select(i => $"rdead-{i}").ToList();

        var stopwatch = Stopwatch.StartNew();
        foreach (var user in users) await scenario.EnterOpenedEmailAsync(user);
        var eventsTook = stopwatch.Elapsed;
        await Eventually.Until(() => Task.FromResult(healthy.Accepted.Count), n => n >= users.Count);
        var healthyTook = stopwatch.Elapsed;
        var deadStats = await fixture.Journeys.GetDeliveryStatsAsync(dead.Id);

        Assert.Equal(users.Count, healthy.Accepted.Count);
        Assert.True(healthyTook < TimeSpan.FromSeconds(5), $"the healthy destination took {healthyTook.TotalSeconds:0.00} s (events {eventsTook.TotalSeconds:0.00} s)");
        Assert.Equal(users.Count, deadStats.Pending);
        Assert.True(deadStats.Retries >= 1);
    }

    [Fact]
    public async Task A_retrying_user_holds_back_only_their_own_later_messages()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var blockSlow = true;
        receiver.Respond = (body, _) => blockSlow && body.Contains("\"userId\":\"slow\"") ? 503 : 200;
        var (scenario, _) = await ArrangeAsync(receiver);

        await scenario.EnterOpenedEmailAsync("slow");
        await scenario.MoveOnAsync("slow");
        await scenario.EnterOpenedEmailAsync("fast");
        await scenario.MoveOnAsync("fast");
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2);
        var slowSentMeanwhile = receiver.Requests.Where(r => r.Body.Contains("\"userId\":\"slow\"")).Select(r => r.Json.GetProperty("event").GetString()).Distinct().ToList();
        blockSlow = false;
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 4, TimeSpan.FromSeconds(15));

        Assert.Equal(["Audience Entered", "Audience Exited"], receiver.Accepted.Take(2).Select(r => r.Json.GetProperty("event").GetString()));
        Assert.All(receiver.Accepted.Take(2), r => Assert.Equal("fast", r.Json.GetProperty("userId").GetString()));
        Assert.Equal(["Audience Entered"], slowSentMeanwhile);
        Assert.Equal(["Audience Entered", "Audience Exited"],
            receiver.Accepted.Where(r => r.Json.GetProperty("userId").GetString() == "slow").Select(r => r.Json.GetProperty("event").GetString()));
    }

    [Fact]
    public async Task A_payload_retried_longer_than_the_destination_allows_is_dead_lettered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 503;
        var (scenario, webhook) = await ArrangeAsync(receiver, maxRetry: TimeSpan.FromSeconds(1));

        await scenario.EnterOpenedEmailAsync("rgiveup");
        var letters = await Eventually.Until(() => fixture.Journeys.GetDeadLettersAsync(webhook.Id), l => l.Count == 1, TimeSpan.FromSeconds(15));

        var letter = Assert.Single(letters);
        Assert.Contains("gave up after retrying", letter.Reason);
        Assert.Equal(503, letter.Status);
        Assert.True(letter.Attempts >= 2);
        Assert.Equal(TimeSpan.FromSeconds(1), (await fixture.Journeys.ListDestinationsAsync(scenario.SpaceId)).Single().MaxRetryDuration);
    }

    [Fact]
    public async Task Requests_are_signed_with_the_shared_secret_which_is_never_returned()
    {
        const string secret = "a-shared-secret-of-some-length";
        await using var receiver = await WebhookReceiver.StartAsync();
        var (scenario, webhook) = await ArrangeAsync(receiver, secret: secret, identify: true);

        await scenario.EnterOpenedEmailAsync("rsigned");
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2);
        var listed = await fixture.Journeys.ListDestinationsAsync(scenario.SpaceId);

        Assert.All(receiver.Requests, r =>
        {
            var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(r.Body)));
            Assert.Equal(expected, r.Headers[WebhookConnector.SignatureHeader]);
        });
        Assert.True(webhook.Signed);
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(listed));
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(webhook));
    }

    [Fact]
    public async Task A_paused_destination_keeps_payloads_and_sends_them_on_resume()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (scenario, webhook) = await ArrangeAsync(receiver);

        var paused = await fixture.Journeys.PauseDestinationAsync(webhook.Id);
        await scenario.EnterOpenedEmailAsync("rpause");
        // The payload has reached the destination, and is held: no request arrives however long it waits.
        var whilePaused = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Pending == 1);
        var requestsWhilePaused = await Eventually.Holds(() => Task.FromResult(receiver.Requests.Count), n => n == 0, TimeSpan.FromMilliseconds(700));
        var resumed = await fixture.Journeys.ResumeDestinationAsync(webhook.Id);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1);

        Assert.True(paused.Paused);
        Assert.False(resumed.Paused);
        Assert.Equal(0, requestsWhilePaused);
        Assert.Equal(1, whilePaused.Pending);
        Assert.Single(receiver.Accepted);
    }

    [Fact]
    public async Task Delivery_operations_refuse_list_destinations_and_bad_limits()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var list = await scenario.AddListAsync();
        var recorder = await scenario.AddRecorderAsync();

        Assert.Equal("destinationId", (await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.PauseDestinationAsync(list.Id))).Field);
        Assert.Equal("destinationId", (await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.ReplayAsync(list.Id))).Field);
        Assert.Equal("limit", (await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.GetDeadLettersAsync(recorder.Id, 0))).Field);
        Assert.Equal("signingSecret", (await Assert.ThrowsAsync<JourneysValidationException>(() => fixture.Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Short", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = "https://127.0.0.1/hook", SigningSecret = "short",
        }, scenario.SpaceId))).Field);
    }

    [Fact]
    public async Task With_a_batch_size_a_webhook_gets_json_arrays_of_at_most_that_many()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var webhook = await fixture.Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Batched", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = receiver.Url, BatchSize = 5,
        }, scenario.SpaceId);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();
        var users = Enumerable.Range(0, 12).Select(i => $"rbatch-{i}").ToList();

        await fixture.Journeys.PauseDestinationAsync(webhook.Id);
        foreach (var user in users) await scenario.EnterOpenedEmailAsync(user);
        await fixture.Journeys.ResumeDestinationAsync(webhook.Id);
        await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id), s => s.Delivered == users.Count);

        var batches = receiver.Requests.Select(r => r.Json).ToList();
        Assert.All(batches, b => Assert.Equal(System.Text.Json.JsonValueKind.Array, b.ValueKind));
        // Each of the destination's partitions batches its own users: fewer requests than payloads, none over 5.
        Assert.Equal(users.Count, batches.Sum(b => b.GetArrayLength()));
        Assert.All(batches, b => Assert.InRange(b.GetArrayLength(), 1, 5));
        Assert.True(batches.Count < users.Count, $"{batches.Count} requests for {users.Count} payloads");
        var ids = batches.SelectMany(b => b.EnumerateArray()).Select(p => p.GetProperty("messageId").GetString()).ToList();
        Assert.Equal(users.Select(u => scenario.ExpectedMessageId(u, TransitionDirection.Entered, webhook.Id)).Order(), ids.Order());
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_trips_the_circuit_breaker_and_is_not_hammered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.StatusCode = 503;
        var (scenario, webhook) = await ArrangeAsync(receiver);

        foreach (var user in Enumerable.Range(0, 15).Select(i => $"rbreak-{i}")) await scenario.EnterOpenedEmailAsync(user);
        var stats = await Eventually.Until(
            () => fixture.Journeys.GetDeliveryStatsAsync(webhook.Id),
            s => s.LastFailures.Any(f => f.Reason.Contains("circuit open")) && s.Retries > receiver.Requests.Count + 5,
            TimeSpan.FromSeconds(30));

        Assert.Contains(stats.LastFailures, f => f.Reason.Contains("circuit open"));
        Assert.True(stats.Retries > receiver.Requests.Count, $"{stats.Retries} attempts, {receiver.Requests.Count} reached the receiver");
        Assert.Equal(15, stats.Pending);
        Assert.Equal(0, stats.Failed);
    }
}
