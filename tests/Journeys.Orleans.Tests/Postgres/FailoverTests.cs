using System.Collections.Concurrent;
using System.Text.Json;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class FailoverTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Killing_a_silo_while_users_move_loses_no_acknowledged_transition()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var cluster = await PostgresCluster.StartAsync(fixture.ConnectionString, "failover-" + Guid.NewGuid().ToString("N")[..8]);
        var scenario = await FirstPurchase.CreateAsync(cluster.Journeys);
        var list = await scenario.AddListAsync();
        var webhook = await scenario.AddWebhookAsync(receiver.Url);
        await cluster.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await cluster.Journeys.ConnectAsync(scenario.RepeatBuyers.Id, list.Id);
        await cluster.Journeys.ConnectAsync(scenario.OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        var users = Enumerable.Range(0, 60).Select(i => $"fo-{i:D2}").ToList();
        var acknowledged = new ConcurrentBag<(string User, string Event)>();
        string[] journey = [FirstPurchase.OrderCompleted, FirstPurchase.EmailOpened, FirstPurchase.OrderCompleted];

        // Users move through the journey while the second silo is killed; a call that fails is retried with the
        // same message id, as a client would, until the cluster has recovered.
        var moving = Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, _) =>
        {
            for (var step = 0; step < journey.Length; step++)
            {
                await Retried.CallAsync(() => scenario.TrackAsync(user, journey[step], messageId: $"{user}-{step}"));
                acknowledged.Add((user, journey[step]));
                await Task.Delay(Random.Shared.Next(20, 120));
            }
        });
        await Task.Delay(600);
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.SecondarySilos[0]);
        await moving;

        Assert.Equal(users.Count * journey.Length, acknowledged.Count);
        var expected = users.SelectMany(user => new[] { TransitionDirection.Entered, TransitionDirection.Exited }
            .Select(direction => scenario.ExpectedMessageId(user, direction, webhook.Id))).ToHashSet();

        await Eventually.Until(() => Task.FromResult(receiver.MessageIds.Distinct().Count()), n => n >= expected.Count, TimeSpan.FromSeconds(90));
        var received = receiver.MessageIds.ToHashSet();
        var missing = expected.Except(received).ToList();
        var diagnosis = new System.Text.StringBuilder();
        foreach (var user in users)
        {
            foreach (var direction in new[] { TransitionDirection.Entered, TransitionDirection.Exited })
            {
                var id = scenario.ExpectedMessageId(user, direction, webhook.Id);
                if (received.Contains(id)) continue;
                var view = await Retried.CallAsync(() => cluster.Journeys.GetUserAsync(user, spaceId: scenario.SpaceId));
                diagnosis.AppendLine($"{user} {direction} {id}: transitions {string.Join(", ", view.RecentTransitions.Select(t => $"{t.StepId[..6]}:{t.Direction}:{t.Epoch}"))}");
            }
        }
        var stats = await Retried.CallAsync(() => cluster.Journeys.GetDeliveryStatsAsync(webhook.Id));
        diagnosis.AppendLine($"stats received {stats.Received} delivered {stats.Delivered} failed {stats.Failed} pending {stats.Pending} retries {stats.Retries}: {string.Join(" | ", stats.LastFailures.Select(f => f.Reason))}");
        diagnosis.AppendLine("outbox rows: " + await PostgresServer.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM journeys_event_outbox"));
        var unexpected = receiver.Requests.Where(r => !expected.Contains(JsonDocument.Parse(r.Body).RootElement.GetProperty("messageId").GetString()!)).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            $"missing {missing.Count} of {expected.Count}; {diagnosis}; unexpected: {string.Join("\n", unexpected.Select(r => r.Body))}");

        // Per user, an entry never arrives after its own exit was accepted the first time.
        foreach (var user in users)
        {
            var events = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)
                .Where(e => e.GetProperty("userId").GetString() == user)
                .Select(e => e.GetProperty("event").GetString()).ToList();
            Assert.Equal("Audience Entered", events[0]);
            Assert.Contains("Audience Exited", events);
        }

        var repeat = await Retried.CallAsync(() => scenario.AllMembersAsync(list.Id, scenario.RepeatBuyers.Id));
        var opened = await Retried.CallAsync(() => scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id));
        Assert.Empty(opened);
        Assert.Equal(users, repeat.Select(m => m.UserId!).Order());
    }
}
