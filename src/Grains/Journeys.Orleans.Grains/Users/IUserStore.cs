using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Orleans.Storage;

namespace Journeys.Orleans.Users;

/// <summary>A user's state as read, with its version (null when the user was never written).</summary>
public sealed record StoredUser(UserState State, string? ETag);

/// <summary>
/// Where a user's state lives, and how what a call changed reaches the destinations and the space's index. Chosen once,
/// at host set-up: <see cref="MemoryUserStore"/> on the embedded default, <see cref="Persistence.PostgreSql.PostgresUserStore"/>
/// with PostgreSQL, where one commit per call writes the state, the outbox rows, the member rows and the index rows together.
/// </summary>
public interface IUserStore
{
    /// <summary>True when <see cref="CommitAsync"/> writes the state; otherwise only <see cref="FlushAsync"/> does.</summary>
    bool WritesOnCommit { get; }

    Task<StoredUser> ReadAsync(GrainId user);

    /// <summary>
    /// Makes a call durable: the state together with <paramref name="changes"/> (the outbox entries this call added) and
    /// the space index's changes the state holds (<see cref="UserState.IndexChanges"/>).
    /// Returns the new version; throws <see cref="InconsistentStateException"/> when <paramref name="etag"/> is stale,
    /// and then nothing was written.
    /// </summary>
    Task<string?> CommitAsync(GrainId user, UserState state, string? etag, IReadOnlyList<DestinationChanges> changes);

    /// <summary>Writes the state alone, when the grain deactivates with changes not yet written (a trimmed outbox).</summary>
    Task<string?> FlushAsync(GrainId user, UserState state, string? etag);

    /// <summary>
    /// Tells one destination of a user's committed changes. With <paramref name="resume"/>, the
    /// changes may have been told before (after a restart or a failed hand-off): only what is still unsent goes out.
    /// </summary>
    Task HandOffAsync(string userKey, DestinationChanges changes, bool resume);

    /// <summary>
    /// Tells the space's index of a user's committed changes (with PostgreSQL the commit wrote them already). In order,
    /// and all still pending: telling a run of them again in order is harmless.
    /// </summary>
    Task HandOffIndexAsync(string spaceId, string userKey, IReadOnlyList<Transition> changes);
}
