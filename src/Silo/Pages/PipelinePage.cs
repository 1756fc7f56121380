using System.Net;
using System.Text;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/pipelines?spaceId=…</c>: each destination's delivery pipeline — received, delivered, pending,
/// pending retry, failed (dead letters), the last failures — server-rendered beside the Orleans dashboard.
/// </summary>
public static class PipelinePage
{
    public static IEndpointRouteBuilder MapPipelinePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/journeys/pipelines", async (string? spaceId, IJourneysClient journeys) =>
        {
            spaceId ??= SpaceIds.Default;
            IReadOnlyList<DestinationInfo> destinations;
            try
            {
                destinations = await journeys.ListDestinationsAsync(spaceId);
            }
            catch (JourneysValidationException ex)
            {
                return Results.Problem(title: "Bad input", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest);
            }

            var html = new StringBuilder();
            html.Append($"<!doctype html><html><head><meta charset=\"utf-8\"><title>Delivery pipelines · {E(spaceId)}</title>")
                .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .Append("td.name,th.name{text-align:left}.failures{font-size:small;color:#a00;text-align:left}</style></head><body>")
                .Append($"<h1>Delivery pipelines of {E(spaceId)}</h1><p><a href=\"/dashboard/\">Orleans dashboard</a></p>")
                .Append("<table><tr><th class=\"name\">Destination</th><th>Kind</th><th>Received</th><th>Delivered</th><th>Pending</th>")
                .Append("<th>Pending retry</th><th>Failed</th><th>State</th><th class=\"name\">Last failures</th></tr>");
            foreach (var destination in destinations)
            {
                var stats = await journeys.GetDeliveryStatsAsync(destination.Id);
                html.Append($"<tr data-destination=\"{E(destination.Id)}\"><td class=\"name\">{E(destination.Name)}<br><small>{E(destination.Id)}</small></td>")
                    .Append($"<td>{destination.Kind} / {destination.Connector}</td>")
                    .Append($"<td class=\"received\">{stats.Received}</td><td class=\"delivered\">{stats.Delivered}</td><td class=\"pending\">{stats.Pending}</td>")
                    .Append($"<td class=\"pending-retry\">{stats.PendingRetry}</td><td class=\"failed\">{stats.Failed}</td>")
                    .Append($"<td>{(destination.Paused ? "paused" : "sending")}</td><td class=\"failures\">")
                    .Append(string.Join("<br>", stats.LastFailures.TakeLast(5).Select(f => $"{f.At:HH:mm:ss} {E(f.MessageId)}: {E(f.Reason)}")))
                    .Append("</td></tr>");
            }
            html.Append("</table></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        });
        return endpoints;
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
