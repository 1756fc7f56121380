namespace Journeys.Orleans.SpaceIndex;

/// <summary>A partition of a space's index on the embedded default: per step id, its users by user key.</summary>
[GenerateSerializer, Alias("journeys.state.SpaceIndex")]
public sealed class SpaceIndexState
{
    [Id(0)] public Dictionary<string, Dictionary<string, SpaceIndexEntry>> Steps { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One user in one step of the index.</summary>
[GenerateSerializer, Immutable, Alias("journeys.state.SpaceIndexEntry")]
public sealed record SpaceIndexEntry(
    [property: Id(0)] string? UserId,
    [property: Id(1)] string? AnonymousId,
    [property: Id(2)] int Epoch,
    [property: Id(3)] DateTimeOffset Since);
