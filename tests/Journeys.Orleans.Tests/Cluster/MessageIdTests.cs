using System.Text.Json;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class MessageIdTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_transition_carries_the_id_derived_from_the_transition_alone()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id);
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_id");
        await scenario.MoveOnAsync("u_id");
        var payloads = await scenario.RecordedAsync(recorder.Id, 4);

        Assert.Equal(
            [
                scenario.ExpectedMessageId("u_id", TransitionDirection.Entered, recorder.Id, CallType.Track),
                scenario.ExpectedMessageId("u_id", TransitionDirection.Entered, recorder.Id, CallType.Identify),
                scenario.ExpectedMessageId("u_id", TransitionDirection.Exited, recorder.Id, CallType.Track),
                scenario.ExpectedMessageId("u_id", TransitionDirection.Exited, recorder.Id, CallType.Identify),
            ],
            payloads.Select(p => p.GetProperty("messageId").GetString()));
    }

    [Fact]
    public async Task Two_destinations_get_different_ids_for_the_same_transition()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var first = await scenario.AddRecorderAsync("First");
        var second = await scenario.AddRecorderAsync("Second");
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, first.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, second.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("u_two");
        var a = Assert.Single(await scenario.RecordedAsync(first.Id, 1));
        var b = Assert.Single(await scenario.RecordedAsync(second.Id, 1));

        Assert.NotEqual(a.GetProperty("messageId").GetString(), b.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Per_user_step_and_destination_the_sequence_alternates_enter_exit()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.ConnectAsync(scenario.RepeatBuyers.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await scenario.PublishAsync();

        var users = Enumerable.Range(0, 60).Select(i => $"alt-{i}").ToList();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (user, _) =>
        {
            // Duplicated and repeated events must not produce a second enter.
            await scenario.EnterOpenedEmailAsync(user);
            await scenario.TrackAsync(user, FirstPurchase.EmailOpened);
            if (int.Parse(user[4..]) % 2 == 0) await scenario.MoveOnAsync(user);
            await scenario.TrackAsync(user, FirstPurchase.EmailOpened);
        });
        var expected = 0;
        foreach (var user in users)
            expected += (await fixture.Journeys.GetUserAsync(user, spaceId: scenario.SpaceId)).RecentTransitions.Count(t => t.StepKind == StepKind.SendToDestinations);
        var payloads = await scenario.RecordedAsync(recorder.Id, expected);

        Assert.Equal(expected, payloads.Count);
        var sequences = payloads
            .GroupBy(p => (User: p.GetProperty("userId").GetString(), Key: p.GetProperty("properties").EnumerateObject().Single().Name));
        foreach (var sequence in sequences)
        {
            var events = sequence.Select(p => p.GetProperty("event").GetString()).ToList();
            for (var i = 0; i < events.Count; i++)
                Assert.Equal(i % 2 == 0 ? "Audience Entered" : "Audience Exited", events[i]);
        }
        Assert.Equal(payloads.Count, payloads.Select(p => p.GetProperty("messageId").GetString()).Distinct().Count());
    }
}
