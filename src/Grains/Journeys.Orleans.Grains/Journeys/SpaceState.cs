using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>The space grain's state: what the space owns, and the catalog version.</summary>
[GenerateSerializer, Alias("journeys.state.Space")]
public sealed class SpaceState
{
    [Id(0)] public List<string> JourneyIds { get; set; } = [];
    [Id(1)] public List<string> DestinationIds { get; set; } = [];
    [Id(2)] public long CatalogVersion { get; set; }
    [Id(3)] public List<WriteKeyInfo> WriteKeys { get; set; } = [];

    /// <summary>
    /// The published (and paused, and archived) journeys as their grains last pushed them, by journey id: the catalog
    /// is built from these alone, so the space never calls a journey or a step back. Null in a state saved before it
    /// existed: the space then reads the journeys' stored states once, on activation.
    /// </summary>
    [Id(4)] public Dictionary<string, JourneyInfo>? Published { get; set; }
}

/// <summary>A write key's state.</summary>
[GenerateSerializer, Alias("journeys.state.WriteKey")]
public sealed class WriteKeyState
{
    [Id(0)] public string? SpaceId { get; set; }
    [Id(1)] public bool Revoked { get; set; }
}
