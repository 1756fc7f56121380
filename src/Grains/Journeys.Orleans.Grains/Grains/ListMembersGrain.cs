using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Grains;

/// <summary>
/// A partition of a list destination. With a database, members are rows (<see cref="IListMemberRows"/>) and this
/// grain only forwards changes; on the embedded default they are kept in this grain's state. Reentrant, so that
/// many users' changes are in flight at once: each user's changes arrive in order (its user grain awaits them), the
/// row changes are idempotent per user, and state writes are coalesced so only one is outstanding.
/// </summary>
[GrainType("listmembers")]
[Reentrant]
public sealed class ListMembersGrain(
    [PersistentState("listMembers", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<ListMembersState> state,
    ListMemberStorage storage)
    : Grain, IListMembersGrain
{
    private long _appliedToRows;
    private Task? _writeInFlight;
    private bool _writeWanted;

    public async Task ApplyAsync(IReadOnlyList<TransitionDelivery> deliveries)
    {
        if (storage.Rows is { } rows)
        {
            var memberSetId = this.GetPrimaryKeyString().Split('/')[0];
            await rows.ApplyAsync(memberSetId, deliveries.Select(d => d.Transition).ToList(), logChanges: !GrainKeys.IsIndex(memberSetId));
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
        await WriteCoalescedAsync();
    }

    /// <summary>
    /// Writes the state, sharing writes between concurrent callers: at most one write is outstanding, and callers
    /// that arrive meanwhile wait for the next one, which carries all their changes.
    /// </summary>
    private async Task WriteCoalescedAsync()
    {
        _writeWanted = true;
        while (_writeInFlight is { } inFlight)
        {
            await inFlight.ContinueWith(_ => { }, TaskScheduler.Current);
            if (!_writeWanted) return;
        }
        _writeWanted = false;
        var write = state.WriteStateAsync();
        _writeInFlight = write;
        try
        {
            await write;
        }
        finally
        {
            _writeInFlight = null;
        }
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
