using System.Text.Json;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// An event-triggered journey in a fresh space: "Order Completed" enters the user once per <c>order_id</c>; send step
/// "Thanks" (sending the journey's context) to a recorder and a list; each entry waits for "Order Delivered" and leaves
/// "Thanks" then; "Order Cancelled" with an order's id ends that order's entry.
/// </summary>
public sealed class OrderJourney
{
    private OrderJourney(IJourneysClient journeys, string spaceId) => (Journeys, SpaceId) = (journeys, spaceId);

    public IJourneysClient Journeys { get; }
    public string SpaceId { get; }
    public JourneyInfo Journey { get; private set; } = null!;
    public StepInfo Thanks { get; private set; } = null!;
    public DestinationInfo Recorder { get; private set; } = null!;
    public DestinationInfo List { get; private set; } = null!;

    /// <summary>Creates, connects and publishes the journey.</summary>
    public static async Task<OrderJourney> PublishAsync(IJourneysClient journeys)
    {
        var scenario = new OrderJourney(journeys, TestSpace.New());
        scenario.Recorder = await journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, scenario.SpaceId);
        scenario.List = await journeys.CreateDestinationAsync(new DestinationDefinition { Name = "Buyers", Kind = DestinationKind.List }, scenario.SpaceId);
        scenario.Journey = await journeys.CreateJourneyAsync(new JourneyDefinition
        {
            Name = "Order follow-up", EntryCondition = Condition.Performed("Order Completed"), EntryIdentifier = "order_id", ExitAfter = TimeSpan.FromDays(7),
            ExitCondition = Condition.Performed("Order Cancelled"), ExitMatchProperty = "order_id",
        }, scenario.SpaceId);
        scenario.Thanks = await journeys.AddStepAsync(scenario.Journey.Id, new StepDefinition
            { Name = "Thanks", Kind = StepKind.SendToDestinations, SendJourneyContext = true });
        await journeys.AddStepAsync(scenario.Journey.Id, new StepDefinition
            { Name = "Wait for delivery", Kind = StepKind.Condition, Condition = Condition.Performed("Order Delivered") });
        await journeys.ConnectAsync(scenario.Thanks.Id, scenario.Recorder.Id);
        await journeys.ConnectAsync(scenario.Thanks.Id, scenario.List.Id);
        await journeys.PublishAsync(scenario.Journey.Id);
        return scenario;
    }

    public Task TrackAsync(string userId, string eventName, string? orderId = null, string? total = null)
    {
        var properties = new Dictionary<string, string?>();
        if (orderId is not null) properties["order_id"] = orderId;
        if (total is not null) properties["total"] = total;
        return Journeys.TrackAsync(new TrackEvent { SpaceId = SpaceId, UserId = userId, Event = eventName, Properties = properties });
    }

    /// <summary>The recorder's payloads once <paramref name="count"/> have arrived (or the wait ran out).</summary>
    public async Task<IReadOnlyList<JsonElement>> RecordedAsync(int count)
    {
        var recorded = await Eventually.Until(() => Journeys.GetRecordedAsync(Recorder.Id), r => r.Count >= count);
        return recorded.Select(r => JsonDocument.Parse(r.Json).RootElement).ToList();
    }

    /// <summary>The list's members of "Thanks" once there are <paramref name="count"/> (or the wait ran out).</summary>
    public async Task<IReadOnlyList<string?>> MembersAsync(int count)
    {
        var page = await Eventually.Until(() => Journeys.GetMembersAsync(List.Id, Thanks.Id), p => p.Members.Count == count);
        return page.Members.Select(m => m.UserId).ToList();
    }

    /// <summary>The order id of a recorded payload's triggering event.</summary>
    public static string? OrderOf(JsonElement payload) =>
        payload.GetProperty("properties").GetProperty("journey_context").GetProperty("triggering_event").GetProperty("order_id").GetString();
}
