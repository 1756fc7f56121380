using System.Text;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/journey?journeyId=…</c>: one journey, its steps in order as cards joined by arrows. Each card is
/// <c>&lt;div class="step" data-step="{stepId}"&gt;</c> with an empty <c>&lt;span class="members"&gt;</c> for the
/// member count; <see cref="Render"/> is pure, so the page is easy to extend.
/// </summary>
public static class JourneyPage
{
    public static IEndpointRouteBuilder MapJourneyPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/journeys/journey", async (string? journeyId, Client.IJourneysClient journeys) =>
        {
            try
            {
                return Layout.Html(Render(await journeys.GetJourneyAsync(journeyId ?? "")));
            }
            catch (JourneysValidationException ex)
            {
                return Layout.BadInput(ex.Field, ex.Message);
            }
            catch (JourneysNotFoundException ex)
            {
                return Results.Problem(title: "Not found", detail: ex.Message, statusCode: StatusCodes.Status404NotFound);
            }
        });
        return endpoints;
    }

    /// <summary>The whole page of <paramref name="journey"/>.</summary>
    public static string Render(JourneyInfo journey)
    {
        var E = Layout.E;
        var html = new StringBuilder()
            .Append($"<h1>{E(journey.Name)}</h1>")
            .Append($"<p><span class=\"status\">{journey.Status}</span> · <small>{E(journey.Id)}</small> · space ")
            .Append($"<a href=\"/journeys/?spaceId={Layout.Q(journey.SpaceId)}\">{E(journey.SpaceId)}</a></p>")
            .Append($"<p>Entry: {E(journey.EntryCondition.ToString())}")
            .Append(journey.ExitCondition is null ? "" : $" · Exit: {E(journey.ExitCondition.ToString())}")
            .Append(journey.AllowReEntry ? " · re-entry allowed" : "")
            .Append("</p><div class=\"chain\">");
        if (journey.Steps.Count == 0) html.Append("<p class=\"muted\">No steps yet.</p>");
        for (var i = 0; i < journey.Steps.Count; i++)
        {
            if (i > 0) html.Append("<span class=\"arrow\">→</span>");
            html.Append(StepCard(journey.Steps[i]));
        }
        return Layout.Document($"{journey.Name} · journey", html.Append("</div>").ToString(), spaceId: journey.SpaceId);
    }

    /// <summary>One step's card: name, kind, key, what it waits for, its connections, a place for the member count.</summary>
    public static string StepCard(StepInfo step)
    {
        var E = Layout.E;
        var detail = step.Kind switch
        {
            StepKind.Condition => $"wait until {step.Condition}",
            StepKind.Delay => $"wait {step.Delay}",
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
        return html.Append("<span class=\"members\"></span></div>").ToString();
    }
}
