using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// The long walks over a journey's users, apart from the journey so that it keeps answering while they run: the
/// backfill at publish and the sweep after archive. Keyed by the journey id. Called only by its journey; it calls no
/// journey or step back.
/// </summary>
[Alias("journeys.IJourneySweepGrain")]
public interface IJourneySweepGrain : IGrainWithStringKey
{
    /// <summary>Starts letting every user of the space who meets the entry condition enter (idempotent while running).</summary>
    [Alias("Backfill")]
    Task<JourneySweepStatus> BackfillAsync(string spaceId);

    /// <summary>
    /// Starts waking every user in <paramref name="stepIds"/> so that they leave the archived journey now; a backfill
    /// still running stops.
    /// </summary>
    [Alias("Sweep")]
    Task<JourneySweepStatus> SweepAsync(string spaceId, IReadOnlyList<string> stepIds);

    /// <summary>Whether a walk is running, and how many users backfills entered.</summary>
    [Alias("GetStatus")]
    Task<JourneySweepStatus> GetStatusAsync();
}
