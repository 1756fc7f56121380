using System.Collections.Concurrent;
using Journeys.Orleans.Client;

namespace Journeys.Orleans.Silo.Ingestion;

/// <summary>
/// Finds the space of a write key, remembering answers briefly so that a busy key does not send every request to the
/// same grain. A revoked key stops working within <see cref="IngestionOptions.WriteKeyCacheDuration"/>.
/// </summary>
public sealed class WriteKeyResolver(IJourneysClient journeys, Microsoft.Extensions.Options.IOptions<IngestionOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (string? SpaceId, DateTimeOffset Until)> _known = new(StringComparer.Ordinal);

    /// <summary>The key's space, or null when it is unknown or revoked.</summary>
    public async Task<string?> ResolveAsync(string writeKey)
    {
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(writeKey, out var known) && known.Until > now) return known.SpaceId;
        var spaceId = await journeys.ResolveWriteKeyAsync(writeKey);
        if (options.Value.WriteKeyCacheDuration > TimeSpan.Zero)
            _known[writeKey] = (spaceId, now + options.Value.WriteKeyCacheDuration);
        return spaceId;
    }
}

/// <summary>Settings of the HTTP tracking API (configuration section <c>Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>How long an answer about a write key is reused (0: ask every time).</summary>
    public TimeSpan WriteKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
