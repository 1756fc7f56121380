using System.Text;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/pipelines?spaceId=…</c>: each destination's delivery pipeline — received, delivered, pending,
/// pending retry, failed (dead letters), skipped (dead letters a later message superseded, dropped on replay), the
/// last failures — server-rendered beside the Orleans dashboard
/// (admin sign-in required, see <see cref="Security.AdminAuthentication"/>).
/// </summary>
public static class PipelinePage
{
    public static IEndpointRouteBuilder MapPipelinePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/pipelines", async (string? spaceId, IJourneysClient journeys) =>
        {
            spaceId ??= SpaceIds.Default;
            var destinations = await journeys.ListDestinationsAsync(spaceId);

            var html = new StringBuilder()
                .Append("<style>.pipelines td{text-align:right}.pipelines td.name,.pipelines td.failures{text-align:left}</style>")
                .Append($"<h1>Delivery pipelines of {E(spaceId)}</h1>")
                .Append("<table class=\"pipelines\"><tr><th class=\"name\">Destination</th><th>Kind</th><th>Received</th><th>Delivered</th><th>Pending</th>")
                .Append("<th>Pending retry</th><th>Failed</th><th>Skipped (superseded)</th><th>State</th><th class=\"name\">Last failures</th></tr>");
            foreach (var destination in destinations)
            {
                var stats = await journeys.GetDeliveryStatsAsync(destination.Id);
                html.Append($"<tr data-destination=\"{E(destination.Id)}\"><td class=\"name\">{E(destination.Name)}<br><small>{E(destination.Id)}</small></td>")
                    .Append($"<td>{destination.Kind} / {destination.Connector}</td>")
                    .Append($"<td class=\"received\">{stats.Received}</td><td class=\"delivered\">{stats.Delivered}</td><td class=\"pending\">{stats.Pending}</td>")
                    .Append($"<td class=\"pending-retry\">{stats.PendingRetry}</td><td class=\"failed\">{stats.Failed}</td>")
                    .Append($"<td class=\"skipped\">{stats.Skipped}</td>")
                    .Append($"<td>{(destination.Paused ? "paused" : "sending")}</td><td class=\"failures\">")
                    .Append(string.Join("<br>", stats.LastFailures.TakeLast(5).Select(f => $"{f.At:HH:mm:ss} {E(f.MessageId)}: {E(f.Reason)}")))
                    .Append("</td></tr>");
            }
            html.Append("</table>");
            return Layout.Html(Layout.Document($"Delivery pipelines · {spaceId}", html.ToString(), spaceId: spaceId));
        });
        return endpoints;
    }

    private static string E(string? text) => Layout.E(text);
}
