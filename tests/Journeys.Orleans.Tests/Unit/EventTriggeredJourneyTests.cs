using System.Text.Json;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.State;
using Journeys.Orleans.Users;
using Journeys.Orleans.Tests.Support;
using static Journeys.Orleans.Tests.Support.TestConnections;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>
/// Event-triggered journeys: one entry per value of the entry identifier, each with its triggering event's context,
/// its own exits and its own message ids; member sets hold the user while any entry is in the step.
/// </summary>
public sealed class EventTriggeredJourneyTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    /// <summary>"Order Completed" per order_id: send "thanks" (with context), wait for "Order Delivered" of any order, send "delivered".</summary>
    private static JourneyInfo Orders(Func<JourneyInfo, JourneyInfo>? change = null)
    {
        var journey = new JourneyInfo
        {
            Id = "jny_orders", LineageId = "jny_orders", SpaceId = "spa_default", Name = "Orders", Status = JourneyStatus.Published,
            EntryCondition = Condition.Performed("Order Completed"), EntryIdentifier = "order_id", ExitAfter = TimeSpan.FromDays(7),
            ExitCondition = Condition.Performed("Order Cancelled"), ExitMatchProperty = "order_id",
            Steps =
            [
                new StepInfo
                {
                    Id = "thanks", Ref = "thanks", Key = "j_o_orders__thanks_abcdef", Kind = StepKind.SendToDestinations,
                    SendJourneyContext = true, Connections = [Webhook, List],
                },
                new StepInfo { Id = "wait", Ref = "wait", Kind = StepKind.Condition, Condition = Condition.Performed("Order Delivered"), Next = StepRefs.End },
            ],
        };
        return change?.Invoke(journey) ?? journey;
    }

    private sealed class Subject(JourneyInfo journey)
    {
        public UserState User { get; } = new();
        public PublishedCatalog Catalog { get; } = new() { SpaceId = "spa_default", Version = 1, Journeys = [journey] };
        public List<Transition> Moves { get; } = [];

        public IReadOnlyList<Transition> Track(string name, params (string Name, string Value)[] properties)
        {
            var call = new TrackEvent
            {
                UserId = "u1", Event = name, Properties = properties.ToDictionary(p => p.Name, p => (string?)p.Value),
            };
            JourneyEngine.ApplyTrack(User, call, Start, Catalog);
            Moves.Clear();
            var sent = JourneyEngine.Advance(User, Catalog, "u:u1", Start, call, Moves);
            User.Outbox.Clear();
            User.IndexChanges.Clear();
            OutboxEntries.Add(User, Catalog, "spa_default", "u:u1", Moves, null, Start);
            return sent;
        }

        public IEnumerable<string> Outbox(string destinationId) =>
            User.Outbox.Where(d => d.Connection.DestinationId == destinationId).Select(d => $"{d.Transition.StepId}:{d.Transition.Direction}@{d.Transition.Epoch}");
    }

    [Fact]
    public void Each_distinct_value_is_an_entry_of_its_own_and_a_value_inside_enters_nothing()
    {
        var subject = new Subject(Orders());

        var first = subject.Track("Order Completed", ("order_id", "o1"), ("total", "30"));
        var second = subject.Track("Order Completed", ("order_id", "o2"), ("total", "75"));
        var again = subject.Track("Order Completed", ("order_id", "o1"));
        var without = subject.Track("Order Completed");

        Assert.Equal("thanks", Assert.Single(first).StepId);
        Assert.Equal("thanks", Assert.Single(second).StepId);
        Assert.Empty(again);
        Assert.Empty(without);
        Assert.Equal(["o1", "o2"], JourneyEntries.Of(subject.User, "jny_orders").Select(e => e.EntryValue));
        Assert.Equal([1, 2], [first[0].Entry, second[0].Entry]);
        Assert.Equal("75", second[0].Context!["total"]);
    }

    [Fact]
    public void An_exit_event_ends_only_the_entry_of_its_value_and_the_value_may_enter_again_as_a_new_entry()
    {
        var subject = new Subject(Orders());
        subject.Track("Order Completed", ("order_id", "o1"));
        subject.Track("Order Completed", ("order_id", "o2"));

        var cancelled = subject.Track("Order Cancelled", ("order_id", "o1"));

        var exit = Assert.Single(cancelled);
        Assert.Equal((TransitionDirection.Exited, 1), (exit.Direction, exit.Entry));
        Assert.Equal(["o2"], JourneyEntries.Of(subject.User, "jny_orders").Where(e => !e.Exited).Select(e => e.EntryValue));

        var reentered = Assert.Single(subject.Track("Order Completed", ("order_id", "o1")));
        Assert.Equal(3, reentered.Entry);
        // The entry that ended was dropped at this call: only the live ones are kept.
        Assert.Equal([2, 3], JourneyEntries.Of(subject.User, "jny_orders").Select(e => e.Entry));
    }

    [Fact]
    public void A_user_is_in_at_most_a_hundred_entries_of_a_journey_at_once()
    {
        var subject = new Subject(Orders());
        for (var order = 0; order < JourneyEngine.MaxLiveEntries; order++)
            Assert.Single(subject.Track("Order Completed", ("order_id", $"o{order}")));

        Assert.Empty(subject.Track("Order Completed", ("order_id", "one-too-many")));
        subject.Track("Order Cancelled", ("order_id", "o0"));
        Assert.Single(subject.Track("Order Completed", ("order_id", "one-too-many")));
    }

    [Fact]
    public void Entries_have_their_own_message_ids_and_only_track_calls()
    {
        var subject = new Subject(Orders());
        var first = subject.Track("Order Completed", ("order_id", "o1"))[0];
        var second = subject.Track("Order Completed", ("order_id", "o2"))[0];

        var payloads = SegmentPayloadBuilder.Build(first, Webhook).Concat(SegmentPayloadBuilder.Build(second, Webhook)).ToList();

        Assert.All(payloads, p => Assert.Equal(CallType.Track, p.CallType));
        Assert.Equal(2, payloads.Select(p => p.MessageId).Distinct().Count());
    }

    [Fact]
    public void A_send_step_that_sends_the_context_puts_the_triggering_event_under_journey_context()
    {
        var subject = new Subject(Orders());
        var entered = subject.Track("Order Completed", ("order_id", "o7"), ("total", "42.5"))[0];

        using var json = JsonDocument.Parse(SegmentPayloadBuilder.BuildOne(entered, Webhook, CallType.Track).Json);
        var properties = json.RootElement.GetProperty("properties");

        Assert.Equal("true", properties.GetProperty("j_o_orders__thanks_abcdef").GetString());
        var triggering = properties.GetProperty("journey_context").GetProperty("triggering_event");
        Assert.Equal("o7", triggering.GetProperty("order_id").GetString());
        Assert.Equal("42.5", triggering.GetProperty("total").GetString());
        Assert.Equal("jny_orders", properties.GetProperty("journey_metadata").GetProperty("journey_id").GetString());
        Assert.Equal("1", properties.GetProperty("journey_metadata").GetProperty("epoch_id").GetString());
        Assert.Equal("journey_step", json.RootElement.GetProperty("context").GetProperty("personas").GetProperty("computation_class").GetString());
    }

    [Fact]
    public void A_step_without_the_context_setting_sends_the_usual_payload()
    {
        var subject = new Subject(Orders(j => j with { Steps = [j.Steps[0] with { SendJourneyContext = false }, j.Steps[1]] }));
        var entered = subject.Track("Order Completed", ("order_id", "o7"))[0];

        using var json = JsonDocument.Parse(SegmentPayloadBuilder.BuildOne(entered, Webhook, CallType.Track).Json);

        Assert.False(json.RootElement.GetProperty("properties").TryGetProperty("journey_context", out _));
    }

    [Fact]
    public void Event_destinations_hear_of_every_entry_and_member_sets_of_the_first_in_and_the_last_out()
    {
        var subject = new Subject(Orders());

        subject.Track("Order Completed", ("order_id", "o1"));
        Assert.Equal(["thanks:Entered@1"], subject.Outbox("dst_hook"));
        Assert.Equal(["thanks:Entered@1"], subject.Outbox("dst_list"));

        subject.Track("Order Completed", ("order_id", "o2"));
        Assert.Equal(["thanks:Entered@2"], subject.Outbox("dst_hook"));
        Assert.Empty(subject.Outbox("dst_list"));

        // "Order Delivered" moves both entries past the wait: each leaves "thanks", the user leaves the list once,
        // at the latest entry's number, which no earlier addition exceeds.
        subject.Track("Order Delivered");
        Assert.Equal(["thanks:Exited@1", "thanks:Exited@2"], subject.Outbox("dst_hook"));
        Assert.Equal(["thanks:Exited@2"], subject.Outbox("dst_list"));
    }

    [Fact]
    public void A_user_stays_in_member_sets_while_another_entry_is_in_the_step()
    {
        var subject = new Subject(Orders());
        subject.Track("Order Completed", ("order_id", "o1"));
        subject.Track("Order Completed", ("order_id", "o2"));

        subject.Track("Order Cancelled", ("order_id", "o2"));
        Assert.Equal(["thanks:Exited@2"], subject.Outbox("dst_hook"));
        Assert.Empty(subject.Outbox("dst_list"));
        Assert.DoesNotContain(subject.User.IndexChanges, c => c.StepId == "thanks");

        subject.Track("Order Cancelled", ("order_id", "o1"));
        Assert.Equal(["thanks:Exited@2"], subject.Outbox("dst_list"));
        Assert.Contains(subject.User.IndexChanges, c => c is { StepId: "thanks", Direction: TransitionDirection.Exited });
    }

    [Fact]
    public void Entries_show_on_the_user_view_with_their_values_and_context()
    {
        var subject = new Subject(Orders());
        subject.Track("Order Completed", ("order_id", "o1"), ("total", "30"));
        subject.Track("Order Completed", ("order_id", "o2"));

        var view = UserViews.Of("spa_default", "u:u1", subject.User, subject.Catalog);

        Assert.Equal(["o1", "o2"], view.Journeys.Select(j => j.EntryValue));
        Assert.Equal("30", view.Journeys[0].Context!["total"]);
        Assert.Equal(2, view.Memberships.Count);
    }

    [Fact]
    public void The_rules_name_the_field_of_an_event_triggered_journey_that_cannot_be()
    {
        var definition = new JourneyDefinition
        {
            Name = "Orders", EntryCondition = Condition.Performed("Order Completed"), EntryIdentifier = "order_id", ExitAfter = TimeSpan.FromDays(7),
        };
        DefinitionRules.Check(definition);

        Assert.Equal("entryIdentifier", Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(definition with { EntryIdentifier = " " })).Field);
        Assert.Equal("entryIdentifier", Assert.Throws<JourneysValidationException>(() =>
            DefinitionRules.Check(definition with { EntryCondition = Condition.TraitIs("plan", "pro") })).Field);
        Assert.Equal("entryCondition.window", Assert.Throws<JourneysValidationException>(() =>
            DefinitionRules.Check(definition with { EntryCondition = Condition.Performed("Order Completed") with { Window = EventWindow.Ever } })).Field);
        Assert.Equal("entryCondition.count", Assert.Throws<JourneysValidationException>(() =>
            DefinitionRules.Check(definition with { EntryCondition = Condition.Performed("Order Completed") with { Count = 3 } })).Field);
        Assert.Equal("exitAfter", Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(definition with { ExitAfter = null })).Field);
        Assert.Equal("backfillOnPublish", Assert.Throws<JourneysValidationException>(() =>
            DefinitionRules.Check(definition with { BackfillOnPublish = true })).Field);
        Assert.Equal("sendJourneyContext", Assert.Throws<JourneysValidationException>(() =>
            DefinitionRules.Check(new StepDefinition { Name = "Wait", Kind = StepKind.Delay, Delay = TimeSpan.FromHours(1), SendJourneyContext = true })).Field);
    }
}
