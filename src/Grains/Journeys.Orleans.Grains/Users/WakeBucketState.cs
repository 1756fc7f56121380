using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>A wake-up bucket's state on the embedded default: the users to wake (with a database they are rows).</summary>
[GenerateSerializer, Alias("journeys.state.WakeBucket")]
public sealed class WakeBucketState
{
    [Id(0)] public HashSet<string> Users { get; set; } = new(StringComparer.Ordinal);
}
