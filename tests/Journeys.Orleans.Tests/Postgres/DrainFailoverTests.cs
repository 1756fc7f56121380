using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class DrainFailoverTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_silo_killed_while_destinations_drain_loses_nothing_and_repeats_only_same_ids()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(150);
        await using var cluster = await PostgresCluster.StartAsync(fixture.ConnectionString, "drain-" + Guid.NewGuid().ToString("N")[..8]);
        var scenario = await FirstPurchase.CreateAsync(cluster.Journeys);
        var webhook = await scenario.PublishWithTrackOnlyWebhookAsync(receiver.Url);
        var users = Enumerable.Range(0, 40).Select(i => $"dr-{i:D2}").ToList();
        foreach (var user in users) await scenario.EnterOpenedEmailAsync(user);

        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n >= 5);
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.SecondarySilos[0]);
        var expected = users.Select(u => scenario.ExpectedMessageId(u, TransitionDirection.Entered, webhook.Id)).ToHashSet();
        await Eventually.Until(() => Task.FromResult(receiver.MessageIds.Distinct().Count()), n => n >= expected.Count, TimeSpan.FromSeconds(90));

        var received = receiver.MessageIds;
        Assert.True(expected.SetEquals(received.ToHashSet()),
            $"missing {expected.Except(received).Count()}, unexpected {received.Except(expected).Count()}");
        Assert.True(received.Count >= expected.Count);
    }
}
