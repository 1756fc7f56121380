using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// Keeps one remote list equal to one step's members in one list destination: creates it on first sync, pushes
/// additions and removals in batches on a short cadence, re-sends everything on demand or when the remote list
/// went missing. Keyed by <c>{destinationId}/sync/{stepId}</c>.
/// </summary>
[Alias("journeys.IListSyncGrain")]
public interface IListSyncGrain : IGrainWithStringKey
{
    /// <summary>Starts (or keeps) syncing; idempotent.</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Re-sends the whole list, then goes on with changes.</summary>
    [Alias("Resync")]
    Task ResyncAsync();

    /// <summary>Where the sync stands.</summary>
    /// <remarks>
    /// Interleaves not to avoid a deadlock (this grain calls no grain back) but so that the status answers while a
    /// long push or mirror runs in the sync's timer; it only reads fields that the timer's steps leave consistent.
    /// </remarks>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<ListSyncStatus> GetStatusAsync();
}
