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

    /// <summary>Stops or restarts sending; accepted payloads are kept either way.</summary>
    [Alias("SetPaused")]
    Task SetPausedAsync(bool paused);

    /// <summary>This partition's dead letters, oldest first.</summary>
    [Alias("GetDeadLetters")]
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync();

    /// <summary>Moves dead letters (those with the given ids, or all) back into the outbox. Returns how many.</summary>
    [Alias("Replay")]
    Task<int> ReplayAsync(IReadOnlyList<string>? messageIds);

    /// <summary>This partition's counters.</summary>
    [Alias("GetStats")]
    Task<DeliveryStats> GetStatsAsync();
}
