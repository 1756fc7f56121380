using Journeys.Orleans.Model;

namespace Journeys.Orleans.SpaceIndex;

/// <summary>
/// The service's own index of a space: under each step id, the users in that step now; under
/// <see cref="GrainKeys.UserDirectoryStep"/>, every user the space has seen. Journeys count and list a step's users with
/// it, and the walks (a backfill, a sweep, a late connection) page through it. Users write it from their commits
/// (<see cref="Users.IUserStore"/>): in the same statement with PostgreSQL, told right after it in memory. Chosen once, at host set-up: <see cref="GrainSpaceIndex"/> on the embedded default,
/// <see cref="Persistence.PostgreSql.PostgresSpaceIndex"/> with PostgreSQL.
/// </summary>
public interface ISpaceIndex
{
    /// <summary>A page of the users in <paramref name="stepId"/>; the page token says where the next page starts.</summary>
    Task<MemberPage> GetPageAsync(string spaceId, string stepId, string? pageToken, int pageSize);

    /// <summary>How many users are in <paramref name="stepId"/>.</summary>
    Task<long> CountAsync(string spaceId, string stepId);
}
