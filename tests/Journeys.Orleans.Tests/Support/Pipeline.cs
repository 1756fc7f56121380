using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// Asserts "nothing else arrived" through a destination's pipeline counters rather than after a fixed sleep: once a
/// destination has taken at least the payloads a test expects and has none left to send (no pending, no pending
/// retry), nothing more can reach its receiver, and <see cref="DeliveryStats.Received"/> counts every payload the users
/// handed it — an extra one shows up there even when the receiver never sees it.
/// </summary>
public static class Pipeline
{
    public static Task<DeliveryStats> DrainedAsync(IJourneysClient journeys, string destinationId, long atLeast, TimeSpan? timeout = null) =>
        Eventually.Until(() => journeys.GetDeliveryStatsAsync(destinationId),
            s => s.Received >= atLeast && s.Pending == 0 && s.PendingRetry == 0, timeout);
}
