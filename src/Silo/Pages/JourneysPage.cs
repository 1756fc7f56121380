using System.Text;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary><c>GET /journeys/?spaceId=…</c>: the space's journeys — name, status, number of steps — each linking to its page.</summary>
public static class JourneysPage
{
    public static IEndpointRouteBuilder MapJourneysPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", async (string? spaceId, IJourneysClient journeys) =>
        {
            spaceId ??= SpaceIds.Default;
            var list = await journeys.ListJourneysAsync(spaceId);

            var E = Layout.E;
            var html = new StringBuilder()
                .Append($"<h1>Journeys of {E(spaceId)}</h1>")
                .Append("<form method=\"get\" action=\"/journeys/\"><input name=\"spaceId\" value=\"" + E(spaceId) + "\"><button>Show space</button></form>")
                .Append("<table class=\"journeys\"><tr><th>Journey</th><th>Status</th><th class=\"num\">Steps</th></tr>");
            foreach (var journey in list)
            {
                html.Append($"<tr data-journey=\"{E(journey.Id)}\"><td><a href=\"/journeys/journey?journeyId={Layout.Q(journey.Id)}\">{E(journey.Name)}</a>")
                    .Append($"<br><small>{E(journey.Id)}</small></td><td class=\"status\">{journey.Status}</td>")
                    .Append($"<td class=\"num steps\">{journey.Steps.Count}</td></tr>");
            }
            if (list.Count == 0) html.Append("<tr><td colspan=\"3\" class=\"muted\">No journeys in this space.</td></tr>");
            html.Append("</table>");
            return Layout.Html(Layout.Document($"Journeys · {spaceId}", html.ToString(), spaceId: spaceId));
        });
        return endpoints;
    }
}
