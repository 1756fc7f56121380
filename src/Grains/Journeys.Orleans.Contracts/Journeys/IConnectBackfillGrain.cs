using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// Tells a destination connected to a send step that already has members about them, in the background: walks the
/// step's members in the space's index and asks each user to announce its membership (one "entered" each; users
/// already told are skipped, so nothing is sent twice). Keyed by <c>{stepId}/connect/{destinationId}</c>. Called only
/// by its step; it calls no step back.
/// </summary>
[Alias("journeys.IConnectBackfillGrain")]
public interface IConnectBackfillGrain : IGrainWithStringKey
{
    /// <summary>Starts the walk over the step's current members (idempotent while it runs).</summary>
    [Alias("Start")]
    Task<ConnectBackfillStatus> StartAsync(string spaceId, string journeyId);

    /// <summary>Where the walk stands.</summary>
    [Alias("GetStatus")]
    Task<ConnectBackfillStatus> GetStatusAsync();
}
