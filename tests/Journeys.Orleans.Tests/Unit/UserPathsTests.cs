using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Users;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Visits pair each entry with its exit, in the order they began; an exit older entries left behind stands alone.</summary>
public sealed class UserPathsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static Transition Move(long sequence, string step, TransitionDirection direction, int epoch = 1) => new()
    {
        SpaceId = "spa_t", JourneyId = "jny_1", StepId = step, StepKey = step + "_key", UserKey = "u:a", Direction = direction,
        Epoch = epoch, Sequence = sequence, OccurredAt = T0.AddMinutes(sequence), StepKind = StepKind.Condition,
    };

    [Fact]
    public void Entries_and_exits_pair_into_visits_in_the_order_they_began()
    {
        var state = new UserState
        {
            RecentTransitions =
            [
                Move(1, "stp_old", TransitionDirection.Exited),
                Move(2, "stp_a", TransitionDirection.Entered),
                Move(3, "stp_a", TransitionDirection.Exited),
                Move(4, "stp_b", TransitionDirection.Entered),
                Move(5, "stp_a", TransitionDirection.Entered, epoch: 2),
            ],
        };

        var payloads = UserPaths.Payloads("u:a", state, new PublishedCatalog { SpaceId = "spa_t" });
        var path = UserPaths.Of("spa_t", "u:a", state, payloads, new Dictionary<string, PayloadOutcome>());

        var visits = Assert.Single(path.Journeys).Visits;
        Assert.Equal(
            [("stp_old", 1, null, T0.AddMinutes(1)), ("stp_a", 1, T0.AddMinutes(2), T0.AddMinutes(3)), ("stp_b", 1, T0.AddMinutes(4), null), ("stp_a", 2, T0.AddMinutes(5), null)],
            visits.Select(v => (v.StepId, v.Epoch, v.EnteredAt, v.LeftAt)));
        // A journey no longer published names no destinations: no sends.
        Assert.All(visits, v => Assert.Empty(v.Sends));
    }

    [Fact]
    public void An_entry_of_an_event_triggered_journey_lists_only_the_track_calls_it_sends()
    {
        var connection = Support.TestConnections.Webhook;
        var catalog = new PublishedCatalog
        {
            SpaceId = "spa_t",
            Journeys =
            [
                new JourneyInfo
                {
                    Id = "jny_1", SpaceId = "spa_t", Status = JourneyStatus.Published,
                    Steps = [new StepInfo { Id = "stp_send", Kind = StepKind.SendToDestinations, Connections = [connection] }],
                },
            ],
        };
        var plain = Move(1, "stp_send", TransitionDirection.Entered) with { StepKind = StepKind.SendToDestinations };
        var state = new UserState { RecentTransitions = [plain, plain with { Sequence = 2, Entry = 3, Epoch = 3 }] };

        var payloads = UserPaths.Payloads("u:a", state, catalog);

        Assert.Equal([(0, Domain.CallType.Track), (0, Domain.CallType.Identify), (3, Domain.CallType.Track)],
            payloads.Select(p => (p.Transition.Entry, p.CallType)));
    }
}
