using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Grains;

/// <summary>
/// A partition of a list destination. With a database, members are rows (<see cref="IListMemberRows"/>) and this
/// grain only forwards changes; on the embedded default they are kept in this grain's state.
/// </summary>
[GrainType("listmembers")]
public sealed class ListMembersGrain(
    [PersistentState("listMembers", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<ListMembersState> state,
    ListMemberStorage storage)
    : Grain, IListMembersGrain
{
    private long _appliedToRows;

    public async Task ApplyAsync(IReadOnlyList<TransitionDelivery> deliveries)
    {
        if (storage.Rows is { } rows)
        {
            await rows.ApplyAsync(this.GetPrimaryKeyString().Split('/')[0], deliveries.Select(d => d.Transition).ToList());
            _appliedToRows += deliveries.Count;
            return;
        }

        foreach (var (transition, _) in deliveries)
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
                    };
                }
            }
            else if (current is not null && current.Epoch <= transition.Epoch)
            {
                members.Remove(transition.UserKey);
            }
            state.State.Applied++;
        }
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ListMember>> GetMembersAsync(string stepId, string? afterUserKey, int limit)
    {
        if (!state.State.Steps.TryGetValue(stepId, out var members)) return Task.FromResult<IReadOnlyList<ListMember>>([]);
        IReadOnlyList<ListMember> page = members
            .Where(m => afterUserKey is null || string.CompareOrdinal(m.Key, afterUserKey) > 0)
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(m => new ListMember(m.Key, m.Value.UserId, m.Value.AnonymousId, m.Value.Since))
            .ToList();
        return Task.FromResult(page);
    }

    public Task<long> CountAsync(string stepId) =>
        Task.FromResult(state.State.Steps.TryGetValue(stepId, out var members) ? (long)members.Count : 0L);

    public Task<DeliveryStats> GetStatsAsync()
    {
        var applied = state.State.Applied + _appliedToRows;
        return Task.FromResult(new DeliveryStats { Received = applied, Delivered = applied });
    }
}
