using System.Text;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/journey?journeyId=…</c>: one journey as a graph — a card per step (<c>data-step="{stepId}"</c>)
/// with how many users are in it (<c>&lt;span class="members"&gt;</c>, linking to the step's members), joined by
/// arrows labelled with their branches. <c>GET /journeys/step?journeyId=…&amp;stepId=…</c>: a step's members, paged.
/// </summary>
public static class JourneyPage
{
    public static IEndpointRouteBuilder MapJourneyPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/journey", async (string? journeyId, Client.IJourneysClient journeys) =>
        {
            var journey = await journeys.GetJourneyAsync(journeyId ?? "");
            var counts = await journeys.GetStepCountsAsync(journey.Id);
            return Layout.Html(Render(journey, counts.ToDictionary(c => c.StepId, c => c.Members)));
        });
        endpoints.MapGet("/step", async (string? journeyId, string? stepId, string? pageToken, Client.IJourneysClient journeys) =>
        {
            var journey = await journeys.GetJourneyAsync(journeyId ?? "");
            var page = await journeys.GetStepMembersAsync(journey.Id, stepId ?? "", pageToken, 100);
            var count = (await journeys.GetStepCountsAsync(journey.Id)).First(c => c.StepId == stepId).Members;
            return Layout.Html(RenderMembers(journey, journey.Steps.First(s => s.Id == stepId), count, page));
        });
        return endpoints;
    }

    /// <summary>The members page of one step.</summary>
    public static string RenderMembers(JourneyInfo journey, StepInfo step, long count, MemberPage page)
    {
        var E = Layout.E;
        var html = new StringBuilder()
            .Append($"<h1>{E(step.Name)}</h1><p>Step of <a href=\"/journeys/journey?journeyId={Layout.Q(journey.Id)}\">{E(journey.Name)}</a>")
            .Append($" · <span class=\"key\">{E(step.Key)}</span> · <span class=\"count\">{count}</span> in the step</p>")
            .Append("<table><tr><th>User</th><th>userId</th><th>anonymousId</th><th>Since</th></tr>");
        foreach (var member in page.Members)
        {
            html.Append($"<tr class=\"member\"><td><a href=\"/journeys/users?spaceId={Layout.Q(journey.SpaceId)}&userKey={Layout.Q(member.UserKey)}\">{E(member.UserKey)}</a></td>")
                .Append($"<td>{E(member.UserId)}</td><td>{E(member.AnonymousId)}</td><td>{Layout.Time(member.Since)}</td></tr>");
        }
        html.Append("</table>");
        if (page.NextPageToken is not null)
            html.Append($"<p><a href=\"/journeys/step?journeyId={Layout.Q(journey.Id)}&stepId={Layout.Q(step.Id)}&pageToken={Layout.Q(page.NextPageToken)}\">Next page</a></p>");
        return Layout.Document($"{step.Name} · members", html.ToString(), spaceId: journey.SpaceId);
    }

    /// <summary>The whole page of <paramref name="journey"/>, with each step's member count.</summary>
    public static string Render(JourneyInfo journey, IReadOnlyDictionary<string, long>? members = null)
    {
        var E = Layout.E;
        var html = new StringBuilder()
            .Append($"<h1>{E(journey.Name)}</h1>")
            .Append($"<p><span class=\"status\">{journey.Status}</span> · version {journey.Version} · <small>{E(journey.Id)}</small> · space ")
            .Append($"<a href=\"/journeys/?spaceId={Layout.Q(journey.SpaceId)}\">{E(journey.SpaceId)}</a>")
            .Append(journey.SupersededBy is null ? "" : $" · closed by version <a href=\"/journeys/journey?journeyId={Layout.Q(journey.SupersededBy)}\">{E(journey.SupersededBy)}</a>")
            .Append("</p>")
            .Append($"<p>Entry: {E(journey.EntryCondition.ToString())}")
            .Append(journey.ExitCondition is null ? "" : $" · Exit: {E(journey.ExitCondition.ToString())}")
            .Append(journey.ExitAfter is { } exitAfter ? $" · exit after {exitAfter}" : "")
            .Append(journey.AllowReEntry ? " · re-entry allowed" : "")
            .Append("</p>");
        if (journey.Steps.Count == 0) html.Append("<p class=\"muted\">No steps yet.</p>");

        var layout = JourneyLayout.Of(journey.Steps);
        html.Append($"<div class=\"graph\" style=\"position:relative;width:{layout.Width}px;height:{layout.Height}px\">")
            .Append($"<svg width=\"{layout.Width}\" height=\"{layout.Height}\" style=\"position:absolute;left:0;top:0\">")
            .Append("<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#1f3b57\"/></marker></defs>");
        foreach (var edge in layout.Edges)
        {
            var (fromX, fromY) = JourneyLayout.Origin(layout.Positions[edge.From]);
            var (toX, toY) = JourneyLayout.Origin(layout.Positions[edge.To]);
            var (x1, y1) = (fromX + JourneyLayout.CardWidth, fromY + JourneyLayout.CardHeight / 2);
            var (x2, y2) = (toX - 4, toY + JourneyLayout.CardHeight / 2);
            var middle = (x1 + x2) / 2;
            html.Append($"<path class=\"edge\" data-from=\"{E(journey.Steps[edge.From].Id)}\" data-to=\"{E(journey.Steps[edge.To].Id)}\" ")
                .Append($"d=\"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}\" stroke=\"#1f3b57\" stroke-width=\"2\" fill=\"none\" marker-end=\"url(#head)\"/>");
            if (edge.Label is not null)
                html.Append($"<text x=\"{middle}\" y=\"{(y1 + y2) / 2 - 6}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1f3b57\">{E(edge.Label)}</text>");
        }
        html.Append("</svg>");
        for (var i = 0; i < journey.Steps.Count; i++)
        {
            var (x, y) = JourneyLayout.Origin(layout.Positions[i]);
            var step = journey.Steps[i];
            long? count = members is not null && members.TryGetValue(step.Id, out var n) ? n : null;
            html.Append($"<div style=\"position:absolute;left:{x}px;top:{y}px;width:{JourneyLayout.CardWidth}px;height:{JourneyLayout.CardHeight}px;overflow:hidden\">")
                .Append(StepCard(step, count, journey.Id))
                .Append("</div>");
        }
        html.Append("</div>");
        return Layout.Document($"{journey.Name} · journey", html.ToString(), spaceId: journey.SpaceId);
    }

    /// <summary>One step's card: name, kind, key, what it waits for, its connections, a place for the member count.</summary>
    public static string StepCard(StepInfo step, long? members = null, string? journeyId = null)
    {
        var E = Layout.E;
        var detail = step.Kind switch
        {
            StepKind.Condition when step.Timeout is { } timeout => $"wait until {step.Condition}, at most {timeout}",
            StepKind.Condition => $"wait until {step.Condition}",
            StepKind.Delay => $"wait {step.Delay}",
            StepKind.TrueFalseSplit => $"if {step.Condition}",
            StepKind.MultiBranchSplit => string.Join("; ", step.Branches.Select(b => $"{b.Name}: {b.Condition?.ToString() ?? "everyone else"}")),
            StepKind.RandomizedSplit => string.Join(" / ", step.Branches.Select(b => $"{b.Name} {b.Percent}%")),
            _ => step.ExitBehaviour == ExitBehaviour.OnStepLeave ? "" : $"members leave: {step.ExitBehaviour}",
        };
        var html = new StringBuilder()
            .Append($"<div class=\"step kind-{step.Kind}\" data-step=\"{E(step.Id)}\">")
            .Append($"<h3>{E(step.Name)}</h3><div class=\"kind\">{step.Kind}</div>")
            .Append($"<div class=\"key\">{E(step.Key)}</div>");
        if (detail.Length > 0) html.Append($"<div class=\"detail\"><small>{E(detail)}</small></div>");
        if (step.Kind == StepKind.SendToDestinations)
        {
            html.Append("<div class=\"connections\">")
                .Append(step.Connections.Count == 0
                    ? "<small>no destinations</small>"
                    : string.Join("<br>", step.Connections.Select(c => $"→ {E(c.DestinationName)} <small>({c.DestinationKind}, {E(c.DestinationId)})</small>")))
                .Append("</div>");
        }
        var count = members is null ? "" : journeyId is null
            ? $"{members} in step"
            : $"<a href=\"/journeys/step?journeyId={Layout.Q(journeyId)}&stepId={Layout.Q(step.Id)}\">{members} in step</a>";
        return html.Append($"<span class=\"members\">{count}</span></div>").ToString();
    }
}
