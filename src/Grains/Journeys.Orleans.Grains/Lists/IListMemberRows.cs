using Journeys.Orleans.Model;

namespace Journeys.Orleans.Persistence;

/// <summary>
/// List destinations' members as rows, with PostgreSQL: one row per member, so a change costs work proportional to the
/// change, not to the list; and the log of changes a remote list is synced from. The users' commits write the rows
/// (<see cref="Users.IUserStore"/>); this writes members handed over directly, and reads them and the log.
/// </summary>
public interface IListMemberRows
{
    /// <summary>
    /// Adds members on enter and removes them on exit, atomically for the batch; with <paramref name="logChanges"/>,
    /// each change is also logged for a remote list's sync.
    /// </summary>
    Task ApplyAsync(string destinationId, IReadOnlyList<Transition> transitions, bool logChanges = true);

    /// <summary>Members of a step with keys after <paramref name="afterUserKey"/>, in key order.</summary>
    Task<IReadOnlyList<ListMember>> GetPageAsync(string destinationId, string stepId, string? afterUserKey, int limit);

    /// <summary>How many members a step has.</summary>
    Task<long> CountAsync(string destinationId, string stepId);

    /// <summary>
    /// The oldest changes of a step's members not yet forgotten, in order. Reading the oldest remaining rows, rather
    /// than those after a cursor, never skips a change whose transaction committed late.
    /// </summary>
    Task<IReadOnlyList<ListChange>> ReadChangesAsync(string destinationId, string stepId, int limit);

    /// <summary>How many changes of a step wait to be pushed, counting no further than <paramref name="upTo"/>.</summary>
    Task<int> CountChangesAsync(string destinationId, string stepId, int upTo);

    /// <summary>Forgets the changes the remote list now has.</summary>
    Task ForgetChangesAsync(string destinationId, string stepId, IReadOnlyList<long> sequences);
}

/// <summary>One member added to (or updated in) or removed from a step's list, with the identifiers the list keeps for it.</summary>
public sealed record ListChange(
    long Sequence, string UserKey, string? UserId, string? AnonymousId, bool Added, IReadOnlyDictionary<string, string>? Identifiers = null);
