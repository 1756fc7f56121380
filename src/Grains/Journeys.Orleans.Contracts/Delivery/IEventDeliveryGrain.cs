using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// One partition of an event destination: sends its users' payloads through the destination's connector, per user in
/// the order received. The payloads are already durable when it is told of them (written in the user's own commit
/// when a database is configured). Keyed by <c>{destinationId}/p{partition}</c>.
/// </summary>
[Alias("journeys.IEventDeliveryGrain")]
public interface IEventDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Queues <paramref name="payloads"/> (one user's, in order) for sending; payloads already known are ignored.</summary>
    [Alias("Deliver")]
    Task DeliverAsync(IReadOnlyList<OutgoingPayload> payloads);

    /// <summary>
    /// Reads again what the outbox keeps for one user: after a user grain could not tell this partition of payloads
    /// it had written, only those still unsent are taken, so nothing already sent goes out again.
    /// </summary>
    [Alias("ResumeUser")]
    Task ResumeUserAsync(string userKey);

    /// <summary>Where each of one user's payloads stands in this partition, by message id.</summary>
    [Alias("GetOutcomes")]
    Task<IReadOnlyList<PayloadOutcome>> GetOutcomesAsync(string userKey, IReadOnlyList<string> messageIds);

    /// <summary>Stops or restarts sending; accepted payloads are kept either way.</summary>
    [Alias("SetPaused")]
    Task SetPausedAsync(bool paused);

    /// <summary>This partition's dead letters, oldest first.</summary>
    [Alias("GetDeadLetters")]
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync();

    /// <summary>
    /// Moves dead letters (those with the given ids, or all) back into the outbox, except those a later message
    /// superseded (the user's membership of the step is no longer what they say), which are dropped and counted.
    /// </summary>
    [Alias("Replay")]
    Task<ReplayResult> ReplayAsync(IReadOnlyList<string>? messageIds);

    /// <summary>This partition's counters.</summary>
    [Alias("GetStats")]
    Task<DeliveryStats> GetStatsAsync();
}
