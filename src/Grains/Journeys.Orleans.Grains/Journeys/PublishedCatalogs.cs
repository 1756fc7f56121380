using System.Collections.Concurrent;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Catalog;

/// <summary>
/// This silo's copy of each space's published catalog, so that an event costs no grain call to learn the journeys.
/// The first use of a space subscribes to it; the space pushes every new catalog to every subscribed silo before its
/// publish returns. A subscription lives as long as the space's activation, so it is renewed in the background every
/// <see cref="RenewAfter"/>: after the silo holding a space fails, its new activation learns of this silo within that
/// time.
/// </summary>
public sealed partial class PublishedCatalogs(IGrainFactory grains, TimeProvider clock, ILogger<PublishedCatalogs> logger) : ICatalogObserver
{
    /// <summary>How old a subscription may grow before it is renewed.</summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _spaces = new(StringComparer.Ordinal);
    private readonly Lock _referenceLock = new();
    private ICatalogObserver? _reference;

    /// <summary>The space's current catalog: from this silo's copy, or from the space the first time.</summary>
    public ValueTask<PublishedCatalog> GetAsync(string spaceId)
    {
        if (_spaces.TryGetValue(spaceId, out var entry) && entry.Catalog is { } catalog)
        {
            if (clock.GetUtcNow() - entry.SubscribedAt > RenewAfter && entry.TryStartRenewal())
                _ = Task.Run(() => RenewAsync(spaceId, entry)); // off the calling grain's turn
            return ValueTask.FromResult(catalog);
        }
        return new ValueTask<PublishedCatalog>(SubscribeAsync(spaceId));
    }

    public Task CatalogChangedAsync(PublishedCatalog catalog)
    {
        _spaces.GetOrAdd(catalog.SpaceId, _ => new Entry()).Offer(catalog);
        return Task.CompletedTask;
    }

    private async Task<PublishedCatalog> SubscribeAsync(string spaceId)
    {
        var entry = _spaces.GetOrAdd(spaceId, _ => new Entry());
        // Orleans makes object references only outside a grain's turn.
        var reference = Volatile.Read(ref _reference) ?? await Task.Run(Reference);
        var catalog = await grains.Get<ISpaceGrain>(spaceId).SubscribeCatalogAsync(reference);
        entry.SubscribedAt = clock.GetUtcNow();
        return entry.Offer(catalog);
    }

    private async Task RenewAsync(string spaceId, Entry entry)
    {
        try
        {
            await SubscribeAsync(spaceId);
        }
        catch (Exception ex)
        {
            LogRenewalFailed(logger, spaceId, ex.Message);
        }
        finally
        {
            entry.EndRenewal();
        }
    }

    private ICatalogObserver Reference()
    {
        lock (_referenceLock) return _reference ??= grains.CreateObjectReference<ICatalogObserver>(this);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the catalog subscription of space {SpaceId}: {Error}")]
    private static partial void LogRenewalFailed(ILogger logger, string spaceId, string error);

    private sealed class Entry
    {
        private PublishedCatalog? _catalog;
        private int _renewing;

        public PublishedCatalog? Catalog => Volatile.Read(ref _catalog);

        public DateTimeOffset SubscribedAt { get; set; }

        /// <summary>Keeps <paramref name="catalog"/> unless a newer one is already here; returns the one kept.</summary>
        public PublishedCatalog Offer(PublishedCatalog catalog)
        {
            while (true)
            {
                var current = Volatile.Read(ref _catalog);
                if (current is not null && current.Version >= catalog.Version) return current;
                if (Interlocked.CompareExchange(ref _catalog, catalog, current) == current) return catalog;
            }
        }

        public bool TryStartRenewal() => Interlocked.Exchange(ref _renewing, 1) == 0;

        public void EndRenewal() => Volatile.Write(ref _renewing, 0);
    }
}
