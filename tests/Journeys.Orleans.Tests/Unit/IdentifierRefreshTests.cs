using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Users;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Which list memberships a trait change refreshes: those whose connection keeps that trait, at their own epoch.</summary>
public sealed class IdentifierRefreshTests
{
    private static ConnectionInfo List(string id, params string[] identifiers) => new()
    {
        DestinationId = id, DestinationName = id, DestinationKind = DestinationKind.List, DestinationPartitions = 1,
        Settings = new ConnectionSettings { Identifiers = identifiers },
    };

    private static (UserState State, PublishedCatalog Catalog) Arrange(bool member = true)
    {
        var send = new StepInfo
        {
            Id = "stp_send", JourneyId = "jny_1", Key = "key_send", Name = "Send", Kind = StepKind.SendToDestinations,
            Connections = [List("dst_email", "userId", "email"), List("dst_plain"), new ConnectionInfo
                { DestinationId = "dst_event", DestinationKind = DestinationKind.Event, Settings = new ConnectionSettings { Identifiers = ["userId", "email"] } }],
        };
        var journey = new JourneyInfo { Id = "jny_1", Steps = [send] };
        var state = new UserState { UserId = "u1", Traits = { ["email"] = "a@example.com" } };
        state.Journeys["jny_1"] = new JourneyProgress { Steps = { ["stp_send"] = new StepMembership { StepKey = "key_send", Epoch = 3, IsMember = member, Since = DateTimeOffset.UnixEpoch } } };
        return (state, new PublishedCatalog { Journeys = [journey] });
    }

    [Fact]
    public void An_email_change_refreshes_only_the_list_that_keeps_email_at_the_memberships_epoch()
    {
        var (state, catalog) = Arrange();

        var refreshed = IdentifierRefresh.Of(state, catalog, "spa_1", "u:u1", new HashSet<string> { "email" }).ToList();

        var delivery = Assert.Single(refreshed);
        Assert.Equal("dst_email", delivery.Connection.DestinationId);
        Assert.Equal((TransitionDirection.Entered, 3, "stp_send", "key_send", DateTimeOffset.UnixEpoch),
            (delivery.Transition.Direction, delivery.Transition.Epoch, delivery.Transition.StepId, delivery.Transition.StepKey, delivery.Transition.OccurredAt));
        Assert.Empty(IdentifierRefresh.Of(state, catalog, "spa_1", "u:u1", new HashSet<string> { "plan" }));
        Assert.Empty(IdentifierRefresh.Of(Arrange(member: false).State, catalog, "spa_1", "u:u1", new HashSet<string> { "email" }));
    }

    [Fact]
    public void Only_traits_whose_value_changes_count_as_changed()
    {
        var (state, _) = Arrange();
        var identify = new IdentifyEvent
        {
            UserId = "u1",
            Traits = new Dictionary<string, string?> { ["email"] = "a@example.com", ["phone"] = "+1555", ["plan"] = null },
        };

        Assert.Equal(["phone"], IdentifierRefresh.ChangedBy(state, identify).Order());
        Assert.Equal(["email"], IdentifierRefresh.ChangedBy(state, identify with { Traits = new Dictionary<string, string?> { ["email"] = null } }));
    }
}
