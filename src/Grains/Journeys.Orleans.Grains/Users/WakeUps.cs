using Journeys.Orleans.Persistence.InMemory;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// Where wake-up buckets keep their users. Chosen once, at host set-up: <see cref="GrainStateWakeUps"/> on the embedded
/// default, <see cref="Persistence.PostgreSql.PostgresWakeUps"/> with PostgreSQL.
/// </summary>
public interface IWakeUps
{
    /// <summary>The users of one bucket (<c>{unixMinute}/{partition}</c>) of a space; <paramref name="state"/> is the bucket grain's own.</summary>
    IWakeBucketUsers Of(string spaceId, string bucket, IPersistentState<WakeBucketState> state);
}

/// <summary>The users one wake-up bucket will wake.</summary>
public interface IWakeBucketUsers
{
    Task AddAsync(string userKey);

    /// <summary>The users with keys after <paramref name="afterUserKey"/>, in key order.</summary>
    Task<IReadOnlyList<string>> PageAsync(string? afterUserKey, int limit);

    /// <summary>Forgets users who were woken.</summary>
    Task ForgetAsync(IReadOnlyList<string> userKeys);

    /// <summary>Keeps what must outlive the bucket's activation, which is ending.</summary>
    Task SaveAsync(DeactivationReason reason, CancellationToken cancellationToken);
}

/// <summary>
/// The embedded default: a bucket's users are its grain's state, written to the in-memory storage when the grain is
/// deactivated (<see cref="DeactivationWrites"/>).
/// </summary>
public sealed class GrainStateWakeUps : IWakeUps
{
    public IWakeBucketUsers Of(string spaceId, string bucket, IPersistentState<WakeBucketState> state) => new Users(state);

    private sealed class Users(IPersistentState<WakeBucketState> state) : IWakeBucketUsers
    {
        private bool _changedSinceWrite;

        public Task AddAsync(string userKey)
        {
            _changedSinceWrite |= state.State.Users.Add(userKey);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<string>> PageAsync(string? afterUserKey, int limit) =>
            Task.FromResult<IReadOnlyList<string>>(state.State.Users
                .Where(u => afterUserKey is null || string.CompareOrdinal(u, afterUserKey) > 0)
                .Order(StringComparer.Ordinal).Take(limit).ToList());

        public Task ForgetAsync(IReadOnlyList<string> userKeys)
        {
            foreach (var userKey in userKeys) _changedSinceWrite |= state.State.Users.Remove(userKey);
            return Task.CompletedTask;
        }

        public Task SaveAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
            state.WriteIfChangedAsync(_changedSinceWrite, reason, cancellationToken);
    }
}
