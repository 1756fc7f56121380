using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Grains;

/// <summary>
/// Holds a copy of the space's catalog in memory; a new activation loads it from the space, and the space
/// pushes every new version before its publish call returns.
/// </summary>
[GrainType("catalog")]
public sealed class JourneyCatalogGrain : Grain, IJourneyCatalogGrain
{
    private PublishedCatalog? _catalog;

    private string SpaceId => this.GetPrimaryKeyString().Split('/')[0];

    public async Task<PublishedCatalog?> GetIfNewerAsync(long knownVersion)
    {
        _catalog ??= await GrainFactory.GetGrain<ISpaceGrain>(SpaceId).GetCatalogAsync();
        return _catalog.Version > knownVersion ? _catalog : null;
    }

    public Task UpdateAsync(PublishedCatalog catalog)
    {
        if (_catalog is null || catalog.Version > _catalog.Version) _catalog = catalog;
        return Task.CompletedTask;
    }
}
