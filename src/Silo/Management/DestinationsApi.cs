using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Journeys.Orleans.Telemetry.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Journeys.Orleans.Silo.Management;

/// <summary>Write keys, destinations, their delivery (counters, dead letters, replay) and list members.</summary>
public static class DestinationsApi
{
    public static RouteGroupBuilder MapDestinationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/spaces/{spaceId}/write-keys", ListWriteKeys);
        api.MapPost("/spaces/{spaceId}/write-keys", CreateWriteKey);
        api.MapDelete("/spaces/{spaceId}/write-keys/{writeKey}", RevokeWriteKey);

        api.MapGet("/spaces/{spaceId}/destinations", ListDestinations);
        api.MapPost("/spaces/{spaceId}/destinations", CreateDestination);
        api.MapGet("/destinations/{destinationId}", GetDestination);
        api.MapPost("/destinations/{destinationId}/pause", PauseDestination);
        api.MapPost("/destinations/{destinationId}/resume", ResumeDestination);
        api.MapGet("/destinations/{destinationId}/delivery", GetDelivery);
        api.MapGet("/destinations/{destinationId}/delivery/history", GetDeliveryHistory);
        api.MapGet("/destinations/{destinationId}/dead-letters", GetDeadLetters);
        api.MapPost("/destinations/{destinationId}/replay", Replay);
        api.MapGet("/destinations/{destinationId}/steps/{stepId}/members", GetMembers);
        api.MapGet("/destinations/{destinationId}/steps/{stepId}/members/count", CountMembers);
        api.MapGet("/destinations/{destinationId}/steps/{stepId}/list-sync", GetListSync);
        api.MapPost("/destinations/{destinationId}/steps/{stepId}/resync", Resync);
        return api;
    }

    public static Task<Results<Ok<IReadOnlyList<WriteKeyInfo>>, BadInputProblem, NotFoundProblem>> ListWriteKeys(string spaceId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ListWriteKeysAsync(spaceId));

    public static Task<Results<Created<WriteKeyInfo>, BadInputProblem, NotFoundProblem>> CreateWriteKey(string spaceId, IJourneysClient j) =>
        ApiAnswers.Created(() => j.CreateWriteKeyAsync(spaceId), _ => $"/api/spaces/{spaceId}/write-keys");

    public static Task<Results<NoContent, BadInputProblem, NotFoundProblem>> RevokeWriteKey(string spaceId, string writeKey, IJourneysClient j) =>
        ApiAnswers.NoContent(() => j.RevokeWriteKeyAsync(writeKey, spaceId));

    public static Task<Results<Ok<IReadOnlyList<DestinationInfo>>, BadInputProblem, NotFoundProblem>> ListDestinations(string spaceId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ListDestinationsAsync(spaceId));

    public static Task<Results<Created<DestinationInfo>, BadInputProblem, NotFoundProblem>> CreateDestination(
        string spaceId, DestinationDefinition definition, IJourneysClient j) =>
        ApiAnswers.Created(() => j.CreateDestinationAsync(definition, spaceId), created => $"/api/destinations/{created.Id}");

    public static Task<Results<Ok<DestinationInfo>, BadInputProblem, NotFoundProblem>> GetDestination(string destinationId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetDestinationAsync(destinationId));

    public static Task<Results<Ok<DestinationInfo>, BadInputProblem, NotFoundProblem>> PauseDestination(string destinationId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.PauseDestinationAsync(destinationId));

    public static Task<Results<Ok<DestinationInfo>, BadInputProblem, NotFoundProblem>> ResumeDestination(string destinationId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ResumeDestinationAsync(destinationId));

    public static Task<Results<Ok<DeliveryStats>, BadInputProblem, NotFoundProblem>> GetDelivery(string destinationId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetDeliveryStatsAsync(destinationId));

    /// <summary>
    /// What the destination's receivers answered over <c>window</c> (<c>1h</c>, the default, per minute; <c>24h</c>, per
    /// 10 minutes): delivered, retried, failed and latency p50 / p99 per point and in total, from the stored history.
    /// </summary>
    public static Task<Results<Ok<DeliverySeries>, BadInputProblem, NotFoundProblem>> GetDeliveryHistory(
        string destinationId, string? window, IJourneysClient j, IHistoryStore history, TimeProvider clock) =>
        ApiAnswers.Ok(async () =>
        {
            var chosen = HistoryWindow.Chosen(window, HistoryWindow.Hour);
            var destination = await j.GetDestinationAsync(destinationId);
            return await history.SeriesAsync(destination.Id, chosen, clock.GetUtcNow());
        });

    public static Task<Results<Ok<IReadOnlyList<DeadLetter>>, BadInputProblem, NotFoundProblem>> GetDeadLetters(string destinationId, int? limit, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetDeadLettersAsync(destinationId, limit ?? 100));

    public static Task<Results<Ok<ReplayResult>, BadInputProblem, NotFoundProblem>> Replay(string destinationId, ReplayRequest? request, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ReplayAsync(destinationId, request?.MessageIds));

    public static Task<Results<Ok<MemberPage>, BadInputProblem, NotFoundProblem>> GetMembers(
        string destinationId, string stepId, string? pageToken, int? pageSize, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetMembersAsync(destinationId, stepId, pageToken, pageSize ?? 100));

    public static Task<Results<Ok<MemberCount>, BadInputProblem, NotFoundProblem>> CountMembers(string destinationId, string stepId, IJourneysClient j) =>
        ApiAnswers.Ok(() => CountAsync(j, destinationId, stepId));

    /// <summary>Where a step's remote list sync stands, with the progress of its mirror (running, or the last one).</summary>
    public static Task<Results<Ok<ListSyncStatus>, BadInputProblem, NotFoundProblem>> GetListSync(string destinationId, string stepId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetListSyncAsync(destinationId, stepId));

    public static Task<Results<Ok<ListSyncStatus>, BadInputProblem, NotFoundProblem>> Resync(string destinationId, string stepId, IJourneysClient j) =>
        ApiAnswers.Ok(() => ResyncAsync(j, destinationId, stepId));

    private static async Task<MemberCount> CountAsync(IJourneysClient j, string destinationId, string stepId) =>
        new(await j.CountMembersAsync(destinationId, stepId));

    private static async Task<ListSyncStatus> ResyncAsync(IJourneysClient j, string destinationId, string stepId)
    {
        await j.ResyncListAsync(destinationId, stepId);
        return await j.GetListSyncAsync(destinationId, stepId);
    }
}

/// <summary>How many members a list destination holds for a step.</summary>
public sealed record MemberCount(long Count);

/// <summary>Which dead letters to replay; all when no message ids are given.</summary>
public sealed record ReplayRequest(IReadOnlyList<string>? MessageIds);
