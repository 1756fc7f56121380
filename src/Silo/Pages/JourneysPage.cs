using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary><c>GET /journeys/?spaceId=…</c>: the space's journeys (<see cref="JourneyList"/>).</summary>
public static class JourneysPage
{
    public static IEndpointRouteBuilder MapJourneysPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", async (string? spaceId, IJourneysClient journeys) =>
        {
            spaceId ??= SpaceIds.Default;
            var list = await journeys.ListJourneysAsync(spaceId);
            return PageText.Page<JourneyList>(new { SpaceId = spaceId, Journeys = list });
        });
        return endpoints;
    }
}
