using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Users;
using Journeys.Orleans.Tests.Support;
using static Journeys.Orleans.Tests.Support.TestConnections;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Merging an anonymous profile into an identified one, without a cluster.</summary>
public sealed class ProfileMergeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    /// <summary>"Viewed Product" enters; send step "browsers"; wait for "Order Completed"; send step "buyers".</summary>
    private static readonly PublishedCatalog Catalog = new()
    {
        SpaceId = "spa_default", Version = 1,
        Journeys =
        [
            new JourneyInfo
            {
                Id = "jny_browse", LineageId = "jny_browse", SpaceId = "spa_default", Name = "Browse", Status = JourneyStatus.Published,
                EntryCondition = Condition.Performed("Viewed Product"),
                Steps =
                [
                    new StepInfo { Id = "browsers", Ref = "browsers", Key = "k_browsers", Kind = StepKind.SendToDestinations, Connections = [Webhook, List] },
                    new StepInfo { Id = "wait", Ref = "wait", Kind = StepKind.Condition, Condition = Condition.Performed("Order Completed") },
                    new StepInfo { Id = "buyers", Ref = "buyers", Key = "k_buyers", Kind = StepKind.SendToDestinations, Connections = [Webhook, List] },
                ],
            },
        ],
    };

    private static UserState Profile(string? userId, string? anonymousId, params string[] events)
    {
        var user = new UserState();
        var key = GrainKeys.UserKey(userId, anonymousId);
        foreach (var name in events)
        {
            var call = new TrackEvent { UserId = userId, AnonymousId = anonymousId, Event = name };
            JourneyEngine.ApplyTrack(user, call, Start, Catalog);
            var moves = new List<Transition>();
            JourneyEngine.Advance(user, Catalog, key, Start, call, moves);
            OutboxEntries.Add(user, Catalog, "spa_default", key, moves, null, Start);
        }
        user.Outbox.Clear();
        user.IndexChanges.Clear();
        return user;
    }

    private static List<TransitionDelivery> Absorb(UserState into, UserState from) =>
        ProfileMerge.Absorb(into, from, "anon-1", Catalog, "spa_default", "u:ada", "a:anon-1", Start, timelineKept: 50, messageIdsKept: 100);

    [Fact]
    public void The_anonymous_journey_moves_over_and_its_memberships_enter_the_lists_under_the_users_key()
    {
        var anonymous = Profile(null, "anon-1", "Viewed Product");
        var identified = Profile("ada", null);
        identified.Traits["plan"] = "pro";
        anonymous.Traits["plan"] = "free";
        anonymous.Traits["color"] = "blue";

        var told = Absorb(identified, anonymous);

        Assert.True(identified.Journeys["jny_browse"].Steps["browsers"].IsMember);
        Assert.Equal(("pro", "blue"), (identified.Traits["plan"], identified.Traits["color"]));
        Assert.Equal(["anon-1"], identified.MergedAnonymousIds);
        var list = Assert.Single(told, d => d.Connection.DestinationId == "dst_list");
        Assert.Equal((TransitionDirection.Entered, "u:ada", "ada", "anon-1", "browsers"),
            (list.Transition.Direction, list.Transition.UserKey, list.Transition.UserId, list.Transition.AnonymousId, list.Transition.StepId));
        Assert.Contains(identified.IndexChanges, c => c is { StepId: "wait", UserKey: "u:ada", Direction: TransitionDirection.Entered });
        // The event destination heard of the entry already: it hears of nothing now.
        Assert.DoesNotContain(told, d => d.Connection.DestinationId == "dst_hook");
    }

    [Fact]
    public void A_journey_the_user_is_in_already_is_not_entered_twice_and_the_anonymous_membership_ends_at_its_destinations()
    {
        var anonymous = Profile(null, "anon-1", "Viewed Product");
        var identified = Profile("ada", null, "Viewed Product", "Order Completed");

        var told = Absorb(identified, anonymous);

        Assert.Equal(1, identified.Journeys["jny_browse"].Entries);
        Assert.True(identified.Journeys["jny_browse"].Steps["buyers"].IsMember);
        var exit = Assert.Single(told);
        Assert.Equal(("dst_hook", TransitionDirection.Exited, "a:anon-1", "ada", "anon-1"),
            (exit.Connection.DestinationId, exit.Transition.Direction, exit.Transition.UserKey, exit.Transition.UserId, exit.Transition.AnonymousId));
    }

    [Fact]
    public void The_anonymous_history_comes_first_and_the_tallies_add_up()
    {
        var anonymous = Profile(null, "anon-1", "Viewed Product", "Viewed Product");
        var identified = Profile("ada", null, "Viewed Product");
        var identifiedPosition = identified.Journeys["jny_browse"].Positions[0].ArrivedSequence;

        Absorb(identified, anonymous);

        Assert.Equal(3, identified.EventSequence);
        Assert.Equal(3, identified.Events["Viewed Product"].Count);
        Assert.Equal(3, identified.Events["Viewed Product"].LastSequence);
        // The identified profile's position still comes after its own event, and after the whole anonymous history.
        Assert.Equal(identifiedPosition + 2, identified.Journeys["jny_browse"].Positions[0].ArrivedSequence);
    }

    [Fact]
    public void The_handed_over_profile_leaves_the_lists_and_the_index_under_its_own_key()
    {
        var anonymous = Profile(null, "anon-1", "Viewed Product");

        var departures = ProfileMerge.Departures(anonymous, Catalog, "spa_default", "a:anon-1", Start).ToList();

        Assert.All(departures.Select(d => d.Transition).Concat(anonymous.IndexChanges),
            t => Assert.Equal((TransitionDirection.Exited, "a:anon-1"), (t.Direction, t.UserKey)));
        Assert.Equal(["dst_list:browsers"], departures.Select(d => $"{d.Connection.DestinationId}:{d.Transition.StepId}"));
        Assert.Equal(["browsers", GrainKeys.UserDirectoryStep, "wait"], anonymous.IndexChanges.Select(c => c.StepId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Absorbing_again_changes_nothing_twice_in_the_ids_kept()
    {
        var identified = Profile("ada", null);
        Absorb(identified, Profile(null, "anon-1", "Viewed Product"));
        Absorb(identified, Profile(null, "anon-1", "Viewed Product"));

        Assert.Equal(["anon-1"], identified.MergedAnonymousIds);
        Assert.Single(identified.Journeys);
    }

    [Fact]
    public void The_anonymous_profiles_message_ids_are_kept_when_the_user_remembers_a_full_window()
    {
        var identified = Profile("ada", null);
        for (var i = 0; i < 100; i++) identified.Remember($"user-{i}", 100);
        var anonymous = Profile(null, "anon-1");
        anonymous.Remember("anonymous-call", 100);

        Absorb(identified, anonymous);

        Assert.True(identified.HasSeen("anonymous-call"));
        Assert.Equal(100, identified.RecentMessageIds.Count);
    }

    [Fact]
    public void A_moved_position_waits_for_events_after_the_merge_not_for_the_users_past_ones()
    {
        var anonymous = Profile(null, "anon-1", "Viewed Product");
        var identified = Profile("ada", null, "Order Completed");

        Absorb(identified, anonymous);
        var wait = identified.Journeys["jny_browse"].Positions.Single();

        // The user's earlier order is not "since" the moved position: it still waits at "wait".
        Assert.Equal("wait", wait.StepId);
        Assert.True(identified.Events["Order Completed"].LastSequence <= wait.ArrivedSequence);
    }
}
