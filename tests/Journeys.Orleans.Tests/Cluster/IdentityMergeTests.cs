using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>Identity resolution: an anonymous profile merged into the identified user, exactly once, in any order.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdentityMergeTests(ClusterFixture fixture)
{
    private async Task<(FirstPurchase Scenario, DestinationInfo Recorder, DestinationInfo List)> ArrangeAsync()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var recorder = await scenario.AddRecorderAsync();
        var list = await scenario.AddListAsync();
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, recorder.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, list.Id);
        await scenario.PublishAsync();
        return (scenario, recorder, list);
    }

    private Task AnonymousAsync(FirstPurchase scenario, string anonymousId, string eventName) =>
        fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, AnonymousId = anonymousId, Event = eventName });

    private Task IdentifyAsync(FirstPurchase scenario, string userId, string anonymousId) =>
        fixture.Journeys.IdentifyAsync(new IdentifyEvent
        {
            SpaceId = scenario.SpaceId, UserId = userId, AnonymousId = anonymousId, Traits = new Dictionary<string, string?> { ["plan"] = "pro" },
        });

    [Fact]
    public async Task Signing_in_moves_the_anonymous_visitors_membership_to_the_user_and_later_calls_of_either_id_reach_one_profile()
    {
        var (scenario, recorder, list) = await ArrangeAsync();
        await AnonymousAsync(scenario, "visitor-1", FirstPurchase.OrderCompleted);
        await AnonymousAsync(scenario, "visitor-1", FirstPurchase.EmailOpened);
        await scenario.RecordedAsync(recorder.Id, 1);

        await IdentifyAsync(scenario, "ada-merged", "visitor-1");
        var byAnonymousId = await fixture.Journeys.GetUserAsync(null, "visitor-1", scenario.SpaceId);
        var members = await Eventually.Until(() => scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id), m => m.Count == 1 && m[0].UserId is not null);
        // A second order sent with the anonymous id alone: the merged profile sends it on, the user moves on.
        await AnonymousAsync(scenario, "visitor-1", FirstPurchase.OrderCompleted);
        var recorded = await scenario.RecordedAsync(recorder.Id, 2);
        var byUserId = await fixture.Journeys.GetUserAsync("ada-merged", spaceId: scenario.SpaceId);

        Assert.Equal("u:ada-merged", byAnonymousId.UserKey);
        Assert.Equal(["visitor-1"], byAnonymousId.MergedAnonymousIds);
        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(byAnonymousId.Memberships).StepId);
        Assert.Equal(("ada-merged", "visitor-1"), (Assert.Single(members).UserId, members[0].AnonymousId));
        Assert.Equal(2, recorded.Count);
        Assert.Equal(["Audience Entered", "Audience Exited"], recorded.Select(p => p.GetProperty("event").GetString()));
        Assert.Equal(("ada-merged", "visitor-1"), (recorded[1].GetProperty("userId").GetString(), recorded[1].GetProperty("anonymousId").GetString()));
        Assert.Equal(1, byUserId.Journeys.Single().Entries);
        Assert.Equal(scenario.RepeatBuyers.Id, Assert.Single(byUserId.Journeys).StepId);
        Assert.Equal(2, (await fixture.Journeys.GetUserAsync(null, "visitor-1", scenario.SpaceId)).RecentTransitions.Count(t => t.StepId == scenario.OpenedEmail.Id));
        Assert.Empty(await scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id));
    }

    [Fact]
    public async Task Calls_of_both_ids_at_once_in_any_order_end_in_one_profile_entered_once()
    {
        var (scenario, recorder, list) = await ArrangeAsync();
        var users = Enumerable.Range(0, 24).Select(i => (UserId: $"both-{i}", AnonymousId: $"anon-both-{i}")).ToList();

        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (user, _) =>
        {
            var anonymous = Task.Run(async () =>
            {
                await AnonymousAsync(scenario, user.AnonymousId, FirstPurchase.OrderCompleted);
                await AnonymousAsync(scenario, user.AnonymousId, FirstPurchase.EmailOpened);
            });
            // Half sign in with identify, half with a track call carrying both ids: either merges.
            var identified = Task.Run(() => user.UserId.EndsWith('0') || user.UserId.EndsWith('5')
                ? fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = scenario.SpaceId, UserId = user.UserId, AnonymousId = user.AnonymousId, Event = "Signed In" })
                : IdentifyAsync(scenario, user.UserId, user.AnonymousId));
            await Task.WhenAll(anonymous, identified);
        });

        var recorded = await scenario.RecordedAsync(recorder.Id, users.Count);
        var members = await Eventually.Until(() => scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id),
            m => m.Count == users.Count && m.All(x => x.UserId is not null));
        foreach (var (userId, anonymousId) in users)
        {
            var profile = await fixture.Journeys.GetUserAsync(null, anonymousId, scenario.SpaceId);
            Assert.Equal($"u:{userId}", profile.UserKey);
            Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(profile.Memberships).StepId);
            Assert.Equal(1, Assert.Single(profile.Journeys).Entries);
            if (!userId.EndsWith('0') && !userId.EndsWith('5')) Assert.Equal("pro", profile.Traits["plan"]);
            Assert.Equal([anonymousId], profile.MergedAnonymousIds);
        }
        // One "entered" per person, whichever profile sent it: every call has returned, so all it sent is received,
        // and once nothing is pending everything received is recorded.
        var stats = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(recorder.Id), s => s.Pending == 0 && s.Delivered == s.Received);
        Assert.Equal(users.Count, stats.Received);
        Assert.Equal(users.Count, (await fixture.Journeys.GetRecordedAsync(recorder.Id)).Count);
        Assert.Equal(users.Select(u => u.AnonymousId).Order(), recorded.Select(p => p.GetProperty("anonymousId").GetString()!).Order());
        Assert.Equal(users.Select(u => u.UserId).Order(), members.Select(m => m.UserId!).Order());
    }

    [Fact]
    public async Task A_merge_that_would_join_two_users_is_refused_and_reported_on_the_user()
    {
        var (scenario, _, _) = await ArrangeAsync();
        await AnonymousAsync(scenario, "shared-device", FirstPurchase.OrderCompleted);
        await IdentifyAsync(scenario, "first-owner", "shared-device");

        await IdentifyAsync(scenario, "second-owner", "shared-device");
        await fixture.Journeys.AliasAsync(new AliasEvent { SpaceId = scenario.SpaceId, UserId = "third-owner", PreviousId = "first-owner" });
        var second = await fixture.Journeys.GetUserAsync("second-owner", spaceId: scenario.SpaceId);
        var third = await fixture.Journeys.GetUserAsync("third-owner", spaceId: scenario.SpaceId);
        var byAnonymousId = await fixture.Journeys.GetUserAsync(null, "shared-device", scenario.SpaceId);

        var refused = Assert.Single(second.RefusedMerges);
        Assert.Equal(("shared-device", "u:first-owner"), (refused.AnonymousId, refused.OwnerUserKey));
        Assert.Empty(second.MergedAnonymousIds);
        Assert.Empty(second.Journeys);
        Assert.Equal("u:first-owner", byAnonymousId.UserKey);
        Assert.Single(byAnonymousId.Journeys);
        // alias names an anonymous id; "first-owner" as one has no profile to give, so it merges nothing of the user's.
        Assert.Empty(third.Journeys);
    }

    [Fact]
    public async Task Alias_merges_the_previous_anonymous_id_into_the_user()
    {
        var (scenario, _, list) = await ArrangeAsync();
        await AnonymousAsync(scenario, "aliased-visitor", FirstPurchase.OrderCompleted);
        await AnonymousAsync(scenario, "aliased-visitor", FirstPurchase.EmailOpened);

        await fixture.Journeys.AliasAsync(new AliasEvent { SpaceId = scenario.SpaceId, UserId = "aliased-user", PreviousId = "aliased-visitor" });
        var user = await fixture.Journeys.GetUserAsync("aliased-user", spaceId: scenario.SpaceId);
        var members = await Eventually.Until(() => scenario.AllMembersAsync(list.Id, scenario.OpenedEmail.Id), m => m.Count == 1 && m[0].UserId is not null);

        Assert.Equal(["aliased-visitor"], user.MergedAnonymousIds);
        Assert.Equal(scenario.OpenedEmail.Id, Assert.Single(user.Memberships).StepId);
        Assert.Equal("aliased-user", Assert.Single(members).UserId);
    }
}
