using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

/// <summary>Event-triggered journeys through the client and a silo: entries per order, their context, their exits.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EventTriggeredJourneyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Each_order_is_an_entry_told_with_its_context_and_the_list_keeps_the_user_while_any_order_is_inside()
    {
        var orders = await OrderJourney.PublishAsync(fixture.Journeys);

        await orders.TrackAsync("buyer", "Order Completed", "o1", total: "30");
        await orders.TrackAsync("buyer", "Order Completed", "o2", total: "75");
        await orders.TrackAsync("buyer", "Order Completed", "o1");
        var entered = await orders.RecordedAsync(2);
        Assert.Equal(["buyer"], await orders.MembersAsync(1));

        await orders.TrackAsync("buyer", "Order Cancelled", "o2");
        var afterOneExit = await orders.RecordedAsync(3);
        Assert.Equal(["buyer"], await orders.MembersAsync(1));

        await orders.TrackAsync("buyer", "Order Cancelled", "o1");
        var all = await orders.RecordedAsync(4);
        var members = await orders.MembersAsync(0);
        var view = await fixture.Journeys.GetUserAsync("buyer", spaceId: orders.SpaceId);

        // Two orders, two entries: track calls only, each with its own message id and its order's properties.
        Assert.Equal(4, all.Count);
        Assert.All(all, p => Assert.Equal("track", p.GetProperty("type").GetString()));
        Assert.Equal(4, all.Select(p => p.GetProperty("messageId").GetString()).Distinct().Count());
        Assert.Equal(["o1", "o2"], entered.Take(2).Select(OrderJourney.OrderOf));
        Assert.Equal("75", entered[1].GetProperty("properties").GetProperty("journey_context").GetProperty("triggering_event").GetProperty("total").GetString());
        Assert.Equal(("Audience Exited", "o2"), (afterOneExit[2].GetProperty("event").GetString(), OrderJourney.OrderOf(afterOneExit[2])));
        Assert.Equal(("Audience Exited", "o1"), (all[3].GetProperty("event").GetString(), OrderJourney.OrderOf(all[3])));
        Assert.Empty(members);
        Assert.DoesNotContain(view.Journeys, j => j.JourneyId == orders.Journey.Id && !j.Exited);
    }

    [Fact]
    public async Task The_user_view_shows_one_line_per_order_inside_with_its_context()
    {
        var orders = await OrderJourney.PublishAsync(fixture.Journeys);

        await orders.TrackAsync("viewer", "Order Completed", "o1", total: "30");
        await orders.TrackAsync("viewer", "Order Completed", "o2");
        var view = await fixture.Journeys.GetUserAsync("viewer", spaceId: orders.SpaceId);
        var counts = await Eventually.Until(() => fixture.Journeys.GetStepCountsAsync(orders.Journey.Id),
            c => c.Single(s => s.StepId == orders.Thanks.Id).Members == 1);

        Assert.Equal(["o1", "o2"], view.Journeys.Where(j => j.JourneyId == orders.Journey.Id).Select(j => j.EntryValue));
        Assert.Equal("30", view.Journeys.First(j => j.EntryValue == "o1").Context!["total"]);
        // The step's count is of users: one user with two orders inside is one.
        Assert.Equal(1, counts.Single(s => s.StepId == orders.Thanks.Id).Members);
    }
}
