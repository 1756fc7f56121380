using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Journeys.Orleans.Telemetry.History;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/pipelines?spaceId=…</c>: each destination's delivery pipeline — received, delivered, pending,
/// pending retry, failed (dead letters), skipped (dead letters a later message superseded, dropped on replay), the
/// last failures — and each remote list sync with its mirror's progress bar, server-rendered beside the Orleans
/// dashboard (<see cref="PipelineTable"/>;
/// admin sign-in required, see <see cref="Security.AdminAuthentication"/>).
/// </summary>
public static class PipelinePage
{
    public static IEndpointRouteBuilder MapPipelinePage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/pipelines", async (string? spaceId, string? window, IJourneysClient journeys, IHistoryStore history, TimeProvider clock) =>
        {
            spaceId ??= SpaceIds.Default;
            var chosen = HistoryWindow.Chosen(window, HistoryWindow.Hour);
            var destinations = await journeys.ListDestinationsAsync(spaceId);
            var rows = new List<(DestinationInfo, DeliveryStats)>(destinations.Count);
            foreach (var destination in destinations) rows.Add((destination, await journeys.GetDeliveryStatsAsync(destination.Id)));
            var now = clock.GetUtcNow();
            var charts = new List<HistoryRow>();
            foreach (var destination in destinations.Where(d => d.Kind == DestinationKind.Event))
            {
                var series = await history.SeriesAsync(destination.Id, chosen, now);
                var letters = await journeys.GetDeadLettersAsync(destination.Id, LettersRead);
                charts.Add(new HistoryRow(destination, series, letters.OrderByDescending(l => l.FailedAt).Take(FailuresShown).ToList()));
            }
            return PageText.Page<PipelineTable>(new
            {
                SpaceId = spaceId, Rows = rows, ListSyncs = await ListSyncsAsync(journeys, spaceId, destinations), Window = chosen, History = charts,
            });
        });
        return endpoints;
    }

    /// <summary>How many of a destination's failures (dead letters, newest first) show beside its charts.</summary>
    public const int FailuresShown = 5;

    // Dead letters are read oldest first; the newest shown are the newest of the first this many.
    private const int LettersRead = 1000;

    /// <summary>An event destination's delivery history over the chosen window, with its last failures and the receiver's answers.</summary>
    public sealed record HistoryRow(DestinationInfo Destination, DeliverySeries Series, IReadOnlyList<DeadLetter> LastFailures);

    /// <summary>A list destination's sync of one step's members to its remote list.</summary>
    public sealed record ListSyncRow(DestinationInfo Destination, string StepId, string StepKey, ListSyncStatus Status);

    /// <summary>
    /// The syncs of the list destinations that push to a remote list: a destination does not know its steps, the
    /// journeys' steps know their connections.
    /// </summary>
    private static async Task<List<ListSyncRow>> ListSyncsAsync(IJourneysClient journeys, string spaceId, IReadOnlyList<DestinationInfo> destinations)
    {
        var syncing = destinations.Where(d => d.Kind == DestinationKind.List && d.ListSyncUrl is not null).ToDictionary(d => d.Id);
        var rows = new List<ListSyncRow>();
        if (syncing.Count == 0) return rows;
        foreach (var journey in await journeys.ListJourneysAsync(spaceId))
        foreach (var step in journey.Steps)
        foreach (var connection in step.Connections)
            if (syncing.TryGetValue(connection.DestinationId, out var destination))
                rows.Add(new ListSyncRow(destination, step.Id, step.Key, await journeys.GetListSyncAsync(destination.Id, step.Id)));
        return rows;
    }
}
