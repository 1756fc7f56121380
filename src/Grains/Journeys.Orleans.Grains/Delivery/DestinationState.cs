using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>The destination grain's state: its configuration, secrets included.</summary>
[GenerateSerializer, Alias("journeys.state.Destination")]
public sealed class DestinationState
{
    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string SpaceId { get; set; } = "";
    [Id(2)] public DestinationDefinition Definition { get; set; } = new();
    [Id(3)] public int Partitions { get; set; }
    [Id(4)] public bool Paused { get; set; }
}
