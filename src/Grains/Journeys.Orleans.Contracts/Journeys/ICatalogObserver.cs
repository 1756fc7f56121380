using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>A silo's copy of the published catalogs, told by each space of every new catalog.</summary>
[Alias("journeys.ICatalogObserver")]
public interface ICatalogObserver : IGrainObserver
{
    /// <summary>Replaces the silo's copy of the space's catalog when <paramref name="catalog"/> is newer.</summary>
    [Alias("CatalogChanged")]
    Task CatalogChangedAsync(PublishedCatalog catalog);
}
