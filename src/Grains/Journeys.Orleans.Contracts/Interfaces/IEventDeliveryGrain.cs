using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// One partition of an event destination: builds the Segment payloads of its users' transitions and sends them
/// through the destination's connector, in the order received. Keyed by <c>{destinationId}/p{partition}</c>.
/// </summary>
[Alias("journeys.IEventDeliveryGrain")]
public interface IEventDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Queues the payloads of <paramref name="deliveries"/> (one user's, in order) for sending.</summary>
    [Alias("Deliver")]
    Task DeliverAsync(IReadOnlyList<TransitionDelivery> deliveries);

    /// <summary>This partition's counters.</summary>
    [Alias("GetStats")]
    Task<DeliveryStats> GetStatsAsync();
}
