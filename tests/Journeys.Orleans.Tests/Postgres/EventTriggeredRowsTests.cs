using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>With PostgreSQL, the entries of an event-triggered journey keep one member row per user and step, right after a restart too.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EventTriggeredRowsTests(PostgresFixture fixture)
{
    [Fact]
    public async Task The_list_row_outlives_the_newer_orders_exit_and_goes_with_the_last()
    {
        var orders = await OrderJourney.PublishAsync(fixture.Cluster.Journeys);

        await orders.TrackAsync("rows", "Order Completed", "o1");
        await orders.TrackAsync("rows", "Order Completed", "o2");
        // The newer entry leaves first: its removal must not take the older entry's membership with it.
        await orders.TrackAsync("rows", "Order Cancelled", "o2");
        var rowsAfterFirstExit = await RowsAsync(orders);

        await orders.TrackAsync("rows", "Order Completed", "o3");
        await orders.TrackAsync("rows", "Order Delivered");
        var recorded = await orders.RecordedAsync(6);
        var rowsAtTheEnd = await RowsAsync(orders);

        Assert.Equal(1, rowsAfterFirstExit);
        Assert.Equal(6, recorded.Count);
        Assert.Equal(0, rowsAtTheEnd);
        Assert.Equal(0, await fixture.Cluster.Journeys.CountMembersAsync(orders.List.Id, orders.Thanks.Id));
    }

    private Task<long> RowsAsync(OrderJourney orders) => PostgresServer.ScalarAsync<long>(fixture.ConnectionString,
        $"SELECT count(*) FROM journeys_list_members WHERE destination_id = '{orders.List.Id}' AND step_id = '{orders.Thanks.Id}'");
}
