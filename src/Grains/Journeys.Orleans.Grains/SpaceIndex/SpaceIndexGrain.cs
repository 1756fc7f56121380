using Journeys.Orleans.Hosting;
using Journeys.Orleans.Members;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence.InMemory;

namespace Journeys.Orleans.SpaceIndex;

/// <summary>
/// A partition of a space's index on the embedded default (<see cref="GrainSpaceIndex"/>), its state written when it is
/// deactivated (<see cref="DeactivationWrites"/>); with PostgreSQL the index is rows and this grain is never called.
/// Reentrant, so that many users' changes are in flight at once: each user's changes arrive in order (its user grain
/// awaits them), and a run of them told again in order ends where it did (an entry replaces only an older epoch, an
/// exit removes only up to its own). Partitions are fixed at <see cref="Partitions"/> per space (nothing survives a
/// restart, so nothing to re-partition).
/// </summary>
[GrainType("spaceindex")]
[Reentrant]
public sealed class SpaceIndexGrain(
    [PersistentState("spaceIndex", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<SpaceIndexState> state)
    : Grain, ISpaceIndexGrain
{
    /// <summary>Partitions per space: users spread over them by a hash of their key.</summary>
    public const int Partitions = 8;

    private bool _changedSinceWrite;

    public Task ApplyAsync(IReadOnlyList<Transition> changes)
    {
        foreach (var change in changes) Apply(change);
        _changedSinceWrite = true;
        return Task.CompletedTask;
    }

    private void Apply(Transition change)
    {
        if (!state.State.Steps.TryGetValue(change.StepId, out var users))
            state.State.Steps[change.StepId] = users = new Dictionary<string, SpaceIndexEntry>(StringComparer.Ordinal);
        var current = users.GetValueOrDefault(change.UserKey);
        if (change.Direction == TransitionDirection.Entered)
        {
            if (current is null || current.Epoch < change.Epoch)
                users[change.UserKey] = new SpaceIndexEntry(change.UserId, change.AnonymousId, change.Epoch, change.OccurredAt);
        }
        else if (current is not null && current.Epoch <= change.Epoch)
        {
            users.Remove(change.UserKey);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        state.WriteIfChangedAsync(_changedSinceWrite, reason, cancellationToken);

    public Task<IReadOnlyList<ListMember>> GetMembersAsync(string stepId, string? afterUserKey, int limit) =>
        Task.FromResult(MemberPages.OfPartition(state.State.Steps.GetValueOrDefault(stepId), afterUserKey, limit,
            (userKey, entry) => new ListMember(userKey, entry.UserId, entry.AnonymousId, entry.Since)));

    public Task<long> CountAsync(string stepId) =>
        Task.FromResult(state.State.Steps.TryGetValue(stepId, out var users) ? (long)users.Count : 0L);
}
