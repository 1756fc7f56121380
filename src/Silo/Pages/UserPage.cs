using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/users?spaceId=…&amp;userKey=u:&lt;userId&gt;|a:&lt;anonymousId&gt;</c>: a user's timeline
/// (<see cref="UserTimeline"/>) — traits, the journeys they are in, their current send-step memberships, their path through
/// each journey (each step with the time spent there, each send with where it stands) and their recent transitions,
/// newest first.
/// </summary>
public static class UserPage
{
    public static IEndpointRouteBuilder MapUserPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/users", async (string? spaceId, string? userKey, IJourneysClient journeys, TimeProvider clock) =>
        {
            spaceId ??= SpaceIds.Default;
            InputRules.CheckSpaceId(spaceId);
            if (string.IsNullOrEmpty(userKey)) return PageText.Page<UserTimeline>(new { SpaceId = spaceId, UserKey = userKey });
            var (userId, anonymousId) = GrainKeys.IdsOf(userKey)
                ?? throw new JourneysValidationException("userKey", "must be u:<userId> or a:<anonymousId>");
            var user = await journeys.GetUserAsync(userId, anonymousId, spaceId);
            var path = await journeys.GetUserPathAsync(userId, anonymousId, spaceId);
            var names = await JourneyNamesAsync(journeys, user);
            return PageText.Page<UserTimeline>(new { SpaceId = spaceId, UserKey = userKey, User = user, Path = path, Journeys = names, Now = clock.GetUtcNow() });
        });
        return endpoints;
    }

    /// <summary>The journeys the user's timeline mentions, by id; a journey that cannot be read is left out.</summary>
    private static async Task<Dictionary<string, JourneyInfo>> JourneyNamesAsync(IJourneysClient journeys, UserView user)
    {
        var ids = user.Journeys.Select(j => j.JourneyId)
            .Concat(user.Memberships.Select(m => m.JourneyId))
            .Concat(user.RecentTransitions.Select(t => t.JourneyId))
            .Distinct();
        var found = new Dictionary<string, JourneyInfo>();
        foreach (var id in ids)
        {
            try
            {
                found[id] = await journeys.GetJourneyAsync(id);
            }
            catch (Exception ex) when (ex is JourneysNotFoundException or JourneysValidationException)
            {
            }
        }
        return found;
    }
}
