using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// The versions of one journey, in order. Keyed by the lineage id (the first version's journey id). Called by the
/// journey versions; the only version it calls is the one it is making, which nobody else knows of yet (closing
/// earlier versions is left to the version being published: were the lineage to do it, a version asking for a new
/// version while a later one is published would wait on the lineage while the lineage waited on it).
/// </summary>
[Alias("journeys.IJourneyLineageGrain")]
public interface IJourneyLineageGrain : IGrainWithStringKey
{
    /// <summary>Makes the next version, a draft copy of <paramref name="from"/> with the same step keys.</summary>
    /// <exception cref="JourneysValidationException">The lineage has its 25 versions already; nothing changed.</exception>
    [Alias("CreateVersion")]
    Task<JourneyInfo> CreateVersionAsync(JourneyInfo from);

    /// <summary>The ids of every version, in order (the first version's first).</summary>
    [Alias("GetVersionIds")]
    Task<IReadOnlyList<string>> GetVersionIdsAsync();
}
