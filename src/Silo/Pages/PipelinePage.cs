using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/pipelines?spaceId=…</c>: each destination's delivery pipeline — received, delivered, pending,
/// pending retry, failed (dead letters), skipped (dead letters a later message superseded, dropped on replay), the
/// last failures — server-rendered beside the Orleans dashboard (<see cref="PipelineTable"/>;
/// admin sign-in required, see <see cref="Security.AdminAuthentication"/>).
/// </summary>
public static class PipelinePage
{
    public static IEndpointRouteBuilder MapPipelinePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/pipelines", async (string? spaceId, IJourneysClient journeys) =>
        {
            spaceId ??= SpaceIds.Default;
            var destinations = await journeys.ListDestinationsAsync(spaceId);
            var rows = new List<(DestinationInfo, DeliveryStats)>(destinations.Count);
            foreach (var destination in destinations) rows.Add((destination, await journeys.GetDeliveryStatsAsync(destination.Id)));
            return PageText.Page<PipelineTable>(new { SpaceId = spaceId, Rows = rows });
        });
        return endpoints;
    }
}
