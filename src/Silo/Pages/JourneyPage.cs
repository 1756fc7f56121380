using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Journeys.Orleans.Telemetry.History;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/journey?journeyId=…</c>: one journey as a graph (<see cref="JourneyGraph"/>) — a card per step
/// (<c>data-step="{stepId}"</c>) with how many users are in it, its backfill or archive sweep and the connect backfills of
/// destinations connected later as progress bars (<c>&lt;span class="members"&gt;</c>, linking to the step's
/// members), joined by arrows labelled with their branches. <c>GET /journeys/step?journeyId=…&amp;stepId=…</c>: a step's
/// members, paged (<see cref="StepMembers"/>).
/// </summary>
public static class JourneyPage
{
    public static IEndpointRouteBuilder MapJourneyPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/journey", async (string? journeyId, string? window, IJourneysClient journeys, IHistoryStore history, TimeProvider clock) =>
        {
            var chosen = HistoryWindow.Chosen(window, HistoryWindow.Day);
            var journey = await journeys.GetJourneyAsync(journeyId ?? "");
            var counts = await journeys.GetStepCountsAsync(journey.Id);
            return PageText.Page<JourneyGraph>(new
            {
                Journey = journey, Members = counts.ToDictionary(c => c.StepId, c => c.Members), ConnectBackfills = await ConnectBackfillsAsync(journeys, journey),
                Flow = await history.FlowAsync(journey.Id, chosen, clock.GetUtcNow()),
            });
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

    /// <summary>A destination connected to a send step later, and how far its members are being told of it.</summary>
    public sealed record ConnectBackfillRow(StepInfo Step, Model.ConnectionInfo Connection, WorkProgress Progress);

    /// <summary>Every connection of the journey's send steps that has walked (or walks) the step's members.</summary>
    private static async Task<List<ConnectBackfillRow>> ConnectBackfillsAsync(IJourneysClient journeys, JourneyInfo journey)
    {
        var connections = journey.Steps.Where(s => s.Kind == StepKind.SendToDestinations)
            .SelectMany(step => step.Connections.Select(connection => (Step: step, Connection: connection)));
        var rows = await Task.WhenAll(connections.Select(async c =>
            (await journeys.GetConnectBackfillAsync(c.Step.Id, c.Connection.DestinationId)).Progress is { } progress
                ? new ConnectBackfillRow(c.Step, c.Connection, progress)
                : null));
        return rows.OfType<ConnectBackfillRow>().ToList();
    }
}
