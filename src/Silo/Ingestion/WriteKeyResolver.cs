using Journeys.Orleans.Client;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Silo.Ingestion;

/// <summary>
/// Finds the space of a write key, remembering answers briefly so that a busy key does not send every request to the
/// same grain. A revoked key stops working within <see cref="IngestionOptions.WriteKeyCacheDuration"/>.
/// </summary>
/// <remarks>
/// The cache is bounded (<see cref="IngestionOptions.WriteKeyCacheSize"/> keys) and remembers only keys that exist:
/// anyone can send made-up keys, and remembering those would let them grow the cache or push real keys out of it.
/// It is a cache of its own, not the shared <see cref="IMemoryCache"/>, because a size limit obliges every entry of a
/// cache to carry a size.
/// </remarks>
public sealed class WriteKeyResolver(IJourneysClient journeys, IOptions<IngestionOptions> options, TimeProvider clock) : IDisposable
{
    private readonly MemoryCache _known = new(new MemoryCacheOptions
    {
        SizeLimit = Math.Max(1, options.Value.WriteKeyCacheSize),
        Clock = new SystemClockAdapter(clock),
    });

    /// <summary>How many keys are remembered now.</summary>
    public int CachedCount => _known.Count;

    /// <summary>The key's space, or null when it is unknown or revoked.</summary>
    public async Task<string?> ResolveAsync(string writeKey)
    {
        if (_known.TryGetValue(writeKey, out string? spaceId)) return spaceId;
        spaceId = await journeys.ResolveWriteKeyAsync(writeKey);
        var duration = options.Value.WriteKeyCacheDuration;
        if (spaceId is not null && duration > TimeSpan.Zero)
            _known.Set(writeKey, spaceId, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });
        return spaceId;
    }

    public void Dispose() => _known.Dispose();

#pragma warning disable CS0618 // MemoryCacheOptions.Clock still takes the old ISystemClock.
    /// <summary>Lets the cache expire entries on the injected clock, so tests can move time.</summary>
    private sealed class SystemClockAdapter(TimeProvider clock) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => clock.GetUtcNow();
    }
#pragma warning restore CS0618
}

/// <summary>Settings of the HTTP tracking API (configuration section <c>Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>How long an answer about a write key is reused (0: ask every time).</summary>
    public TimeSpan WriteKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most write keys remembered at once. When full, a new key is asked about each time until the cache compacts
    /// (dropping expired, then least recently used keys).
    /// </summary>
    public int WriteKeyCacheSize { get; set; } = 10_000;
}
