using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// One replica of a space's published catalog. Users are spread over the replicas by a hash of their key,
/// so no single grain serves every event. Keyed by <c>{spaceId}/catalog/{replica}</c>.
/// </summary>
[Alias("journeys.IJourneyCatalogGrain")]
public interface IJourneyCatalogGrain : IGrainWithStringKey
{
    /// <summary>The catalog, or null when the caller's <paramref name="knownVersion"/> is current.</summary>
    [Alias("GetIfNewer")]
    Task<PublishedCatalog?> GetIfNewerAsync(long knownVersion);

    /// <summary>Replaces the replica's catalog when <paramref name="catalog"/> is newer.</summary>
    [Alias("Update")]
    Task UpdateAsync(PublishedCatalog catalog);
}
