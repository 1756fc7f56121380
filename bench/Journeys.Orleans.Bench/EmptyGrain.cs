namespace Journeys.Orleans.Bench;

/// <summary>The baseline: a grain call that does nothing.</summary>
[Alias("bench.IEmptyGrain")]
public interface IEmptyGrain : IGrainWithStringKey
{
    [Alias("Ping")]
    Task PingAsync();
}

[GrainType("bench-empty")]
public sealed class EmptyGrain : Grain, IEmptyGrain
{
    public Task PingAsync() => Task.CompletedTask;
}
