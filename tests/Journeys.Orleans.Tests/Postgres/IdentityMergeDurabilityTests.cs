using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>Identity merges on PostgreSQL: exact while a silo is killed, and still there after every silo restarted.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IdentityMergeDurabilityTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Merges_made_while_a_silo_is_killed_leave_one_profile_per_person_after_a_restart()
    {
        var serviceId = "merge-" + Guid.NewGuid().ToString("N")[..8];
        var users = Enumerable.Range(0, 30).Select(i => (UserId: $"m-{i:D2}", AnonymousId: $"m-anon-{i:D2}")).ToList();
        FirstPurchase scenario;
        DestinationInfo list;

        await using (var cluster = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId))
        {
            scenario = await FirstPurchase.CreateAsync(cluster.Journeys);
            list = await scenario.AddListAsync();
            await cluster.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
            await scenario.PublishAsync();
            var journeys = cluster.Journeys;

            // Each person browses anonymously while they sign in; a call that fails is retried with the same message id.
            var done = 0;
            var moving = Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (user, _) =>
            {
                var anonymous = Task.Run(async () =>
                {
                    for (var view = 0; view < 3; view++)
                    {
                        await Retried.CallAsync(() => journeys.TrackAsync(new TrackEvent
                            { SpaceId = scenario.SpaceId, AnonymousId = user.AnonymousId, Event = "Viewed Product", MessageId = $"{user.AnonymousId}-v{view}" }));
                        await Task.Delay(Random.Shared.Next(10, 60));
                    }
                    await Retried.CallAsync(() => journeys.TrackAsync(new TrackEvent
                        { SpaceId = scenario.SpaceId, AnonymousId = user.AnonymousId, Event = FirstPurchase.OrderCompleted, MessageId = $"{user.AnonymousId}-1" }));
                    await Task.Delay(Random.Shared.Next(10, 80));
                    await Retried.CallAsync(() => journeys.TrackAsync(new TrackEvent
                        { SpaceId = scenario.SpaceId, AnonymousId = user.AnonymousId, Event = FirstPurchase.EmailOpened, MessageId = $"{user.AnonymousId}-2" }));
                });
                await Task.Delay(Random.Shared.Next(0, 60));
                await Retried.CallAsync(() => journeys.IdentifyAsync(new IdentifyEvent
                    { SpaceId = scenario.SpaceId, UserId = user.UserId, AnonymousId = user.AnonymousId, MessageId = $"{user.UserId}-signin" }));
                await anonymous;
                Interlocked.Increment(ref done);
            });
            // Killed while most people are still on their way.
            await Eventually.Until(() => Task.FromResult(Volatile.Read(ref done)), n => n >= 3);
            await cluster.Cluster.KillSiloAsync(cluster.Cluster.SecondarySilos[0]);
            await moving;
            await cluster.StopAsync();
        }

        await using var after = await PostgresCluster.StartAsync(fixture.ConnectionString, serviceId);
        foreach (var (userId, anonymousId) in users)
        {
            var profile = await Retried.CallAsync(() => after.Journeys.GetUserAsync(null, anonymousId, scenario.SpaceId));
            Assert.Equal($"u:{userId}", profile.UserKey);
            Assert.Equal(1, Assert.Single(profile.Journeys).Entries);
            Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(profile.Memberships).StepId);
        }
        var members = (await after.Journeys.GetMembersAsync(list.Id, scenario.OpenedEmail.Id, pageSize: 100)).Members;
        Assert.Equal(users.Select(u => $"u:{u.UserId}").Order(), members.Select(m => m.UserKey).Order());
        Assert.Equal(0, await PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
            $"SELECT count(*) FROM journeys_list_members WHERE destination_id = '{list.Id}' AND user_key LIKE 'a:%'"));

        // After the restart, a call of the anonymous id alone still reaches the person.
        var (lastUser, lastAnonymous) = users[^1];
        await after.Journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, AnonymousId = lastAnonymous, Event = FirstPurchase.OrderCompleted });
        Assert.Equal(scenario.RepeatBuyers.Id, Assert.Single((await after.Journeys.GetUserAsync(lastUser, spaceId: scenario.SpaceId)).Journeys).StepId);
    }
}
