namespace Journeys.Orleans.Interfaces;

/// <summary>
/// The versions of one journey, in order. Keyed by the lineage id (the first version's journey id). Called by the
/// journey versions; it calls none of them back.
/// </summary>
[Alias("journeys.IJourneyLineageGrain")]
public interface IJourneyLineageGrain : IGrainWithStringKey
{
    /// <summary>Reserves the next version's id and number.</summary>
    /// <exception cref="Model.JourneysValidationException">The lineage has its 25 versions already.</exception>
    [Alias("ReserveVersion")]
    Task<(string JourneyId, int Version)> ReserveVersionAsync();

    /// <summary>The ids of every version, in order (the first version's first).</summary>
    [Alias("GetVersionIds")]
    Task<IReadOnlyList<string>> GetVersionIdsAsync();
}
