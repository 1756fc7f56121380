namespace Journeys.Orleans.Persistence.InMemory;

/// <summary>
/// How grain state kept in Orleans' in-memory storage is written on the embedded default: when its grain is deactivated,
/// not on each change, because that storage copies the whole state on every write, which would make each change cost the
/// size of the state (a list partition, an index partition, a wake-up bucket). It is read back when the grain activates.
/// </summary>
public static class DeactivationWrites
{
    /// <summary>
    /// Writes <paramref name="state"/> if it <paramref name="changed"/> since it was read, unless the silo is stopping:
    /// then nothing kept in memory outlives it, and the in-memory storage's own grains are going too.
    /// </summary>
    public static Task WriteIfChangedAsync<T>(
        this IPersistentState<T> state, bool changed, DeactivationReason reason, CancellationToken cancellationToken) =>
        changed && reason.ReasonCode != DeactivationReasonCode.ShuttingDown ? state.WriteStateAsync(cancellationToken) : Task.CompletedTask;
}
