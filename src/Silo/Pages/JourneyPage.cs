using Journeys.Orleans.Client;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/journey?journeyId=…</c>: one journey as a graph (<see cref="JourneyGraph"/>) — a card per step
/// (<c>data-step="{stepId}"</c>) with how many users are in it (<c>&lt;span class="members"&gt;</c>, linking to the step's
/// members), joined by arrows labelled with their branches. <c>GET /journeys/step?journeyId=…&amp;stepId=…</c>: a step's
/// members, paged (<see cref="StepMembers"/>).
/// </summary>
public static class JourneyPage
{
    public static IEndpointRouteBuilder MapJourneyPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/journey", async (string? journeyId, IJourneysClient journeys) =>
        {
            var journey = await journeys.GetJourneyAsync(journeyId ?? "");
            var counts = await journeys.GetStepCountsAsync(journey.Id);
            return PageText.Page<JourneyGraph>(new { Journey = journey, Members = counts.ToDictionary(c => c.StepId, c => c.Members) });
        });
        endpoints.MapGet("/step", async (string? journeyId, string? stepId, string? pageToken, IJourneysClient journeys) =>
        {
            var journey = await journeys.GetJourneyAsync(journeyId ?? "");
            var page = await journeys.GetStepMembersAsync(journey.Id, stepId ?? "", pageToken, 100);
            var count = (await journeys.GetStepCountsAsync(journey.Id)).First(c => c.StepId == stepId).Members;
            return PageText.Page<StepMembers>(new { Journey = journey, Step = journey.Steps.First(s => s.Id == stepId), Count = count, Page = page });
        });
        return endpoints;
    }
}
