using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Members;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence.InMemory;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Grains;

/// <summary>
/// A partition of a list destination on the embedded default (<see cref="GrainListMembers"/>): its members are this
/// grain's state, written when it is deactivated (<see cref="DeactivationWrites"/>). With PostgreSQL members are rows the users' commits write, and this grain only answers the (zero)
/// counters a destination's delivery stats ask for. Reentrant, so
/// that many users' changes are in flight at once: each user's changes arrive in order (its user grain awaits them) and
/// are idempotent per user.
/// </summary>
[GrainType("listmembers")]
[Reentrant]
public sealed class ListMembersGrain(
    [PersistentState("listMembers", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<ListMembersState> state)
    : Grain, IListMembersGrain
{
    private bool _changedSinceWrite;

    public Task ApplyAsync(IReadOnlyList<TransitionDelivery> deliveries, IReadOnlyDictionary<string, string>? identifiers = null) =>
        ApplyManyAsync([MemberChanges.Of(deliveries, identifiers)]);

    public Task ApplyManyAsync(IReadOnlyList<MemberChanges> changes)
    {
        foreach (var (transitions, identifiers) in changes)
        {
            foreach (var transition in transitions) Apply(transition, identifiers);
        }
        _changedSinceWrite = true;
        return Task.CompletedTask;
    }

    private void Apply(Transition transition, IReadOnlyDictionary<string, string>? identifiers)
    {
        if (!state.State.Steps.TryGetValue(transition.StepId, out var members))
            state.State.Steps[transition.StepId] = members = new Dictionary<string, ListMemberEntry>(StringComparer.Ordinal);

        members.TryGetValue(transition.UserKey, out var current);
        if (transition.Direction == TransitionDirection.Entered)
        {
            if (current is null || current.Epoch < transition.Epoch)
            {
                members[transition.UserKey] = new ListMemberEntry
                {
                    UserId = transition.UserId,
                    AnonymousId = transition.AnonymousId,
                    Since = transition.OccurredAt,
                    Epoch = transition.Epoch,
                    Identifiers = identifiers,
                };
            }
            else if (current.Epoch == transition.Epoch)
            {
                // The same membership with identifiers that changed (a new email): the member stays, updated.
                current.Identifiers = identifiers;
            }
        }
        else if (current is not null && current.Epoch <= transition.Epoch)
        {
            members.Remove(transition.UserKey);
        }
        state.State.Applied++;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        state.WriteIfChangedAsync(_changedSinceWrite, reason, cancellationToken);

    public Task<IReadOnlyList<ListMember>> GetMembersAsync(string stepId, string? afterUserKey, int limit) =>
        Task.FromResult(MemberPages.OfPartition(state.State.Steps.GetValueOrDefault(stepId), afterUserKey, limit,
            (userKey, entry) => new ListMember(userKey, entry.UserId, entry.AnonymousId, entry.Since, entry.Identifiers)));

    public Task<long> CountAsync(string stepId) =>
        Task.FromResult(state.State.Steps.TryGetValue(stepId, out var members) ? (long)members.Count : 0L);

    public Task<DeliveryStats> GetStatsAsync()
    {
        var applied = state.State.Applied;
        return Task.FromResult(new DeliveryStats { Received = applied, Delivered = applied });
    }
}
