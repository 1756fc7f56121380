using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class DelayRestartTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_delay_and_a_condition_timeout_end_after_every_silo_was_restarted()
    {
        var serviceId = "delays-" + Guid.NewGuid().ToString("N")[..8];
        string spaceId, sendId, timedOutId;
        var started = DateTimeOffset.UtcNow;

        await using (var before = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId))
        {
            spaceId = TestSpace.New();
            var journey = await before.Journeys.CreateJourneyAsync(
                new JourneyDefinition { Name = "Minute later", EntryCondition = Condition.Performed("Signed Up") }, spaceId);
            await before.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Wait", Kind = StepKind.Delay, Delay = TimeSpan.FromMinutes(1) });
            sendId = (await before.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "After", Kind = StepKind.SendToDestinations })).Id;
            await before.Journeys.PublishAsync(journey.Id);
            var timeout = await before.Journeys.ImportJourneyAsync(new JourneyDocument
            {
                Journey = new JourneyDefinition { Name = "Nudge", EntryCondition = Condition.Performed("Cart Created") },
                Steps =
                [
                    new StepDocument { Step = new StepDefinition { Name = "Wait for the order", Ref = "wait", Kind = StepKind.Condition,
                        Condition = Condition.Performed("Order Completed"), Next = "bought", Timeout = TimeSpan.FromMinutes(1), TimeoutNext = "nudge" } },
                    new StepDocument { Step = new StepDefinition { Name = "Bought", Ref = "bought", Kind = StepKind.SendToDestinations, Next = StepRefs.End } },
                    new StepDocument { Step = new StepDefinition { Name = "Nudge", Ref = "nudge", Kind = StepKind.SendToDestinations } },
                ],
            }, spaceId);
            timedOutId = timeout.Steps[2].Id;
            await before.Journeys.PublishAsync(timeout.Id);
            await before.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "sleeper", Event = "Signed Up" });
            await before.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "waiter", Event = "Cart Created" });
            await before.StopAsync();
        }
        Assert.Equal(2, await WakeUpRowsAsync());

        // Nobody calls the user after the restart: only the wake-up bucket's reminder in PostgreSQL can move them.
        await using var after = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId);
        await Task.Delay(TimeSpan.FromSeconds(65) - (DateTimeOffset.UtcNow - started) > TimeSpan.Zero
            ? TimeSpan.FromSeconds(65) - (DateTimeOffset.UtcNow - started) : TimeSpan.Zero);
        var reminders = await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT count(*) FROM OrleansRemindersTable WHERE ServiceId = '{serviceId}' AND ReminderName = 'wake'");
        var user = await Eventually.Until(
            () => after.Journeys.GetUserAsync("sleeper", spaceId: spaceId), u => u.Memberships.Count == 1, TimeSpan.FromSeconds(90));
        var waiter = await Eventually.Until(
            () => after.Journeys.GetUserAsync("waiter", spaceId: spaceId), u => u.Memberships.Count == 1, TimeSpan.FromSeconds(90));

        Assert.Equal(sendId, Assert.Single(user.Memberships).StepId);
        Assert.True(user.Memberships[0].Since - started >= TimeSpan.FromMinutes(1));
        Assert.Equal(timedOutId, Assert.Single(waiter.Memberships).StepId);
        Assert.True(waiter.Memberships[0].Since - started >= TimeSpan.FromMinutes(1));
        // One reminder per wake-up bucket (minute and partition), however many users it holds: two users, two at most.
        Assert.True(reminders <= 2);
        // A bucket forgets the users it woke.
        Assert.Equal(0, await Eventually.Until(WakeUpRowsAsync, rows => rows == 0));

        Task<long> WakeUpRowsAsync() => PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT count(*) FROM journeys_wake_ups WHERE service_id = '{serviceId}' AND space_id = '{spaceId}'");
    }
}
