using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Journeys.Orleans.Telemetry.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Journeys.Orleans.Silo.Management;

/// <summary>Journeys: definitions, lifecycle, documents, versions and clones, and who is in each step.</summary>
public static class JourneysApi
{
    public static RouteGroupBuilder MapJourneysApi(this RouteGroupBuilder api)
    {
        api.MapGet("/spaces/{spaceId}/journeys", ListJourneys);
        api.MapPost("/spaces/{spaceId}/journeys", CreateJourney);
        api.MapGet("/journeys/{journeyId}", GetJourney);
        api.MapGet("/journeys/{journeyId}/progress", GetProgress);
        api.MapPost("/journeys/{journeyId}/steps", AddStep);
        api.MapPost("/journeys/{journeyId}/publish", Publish);
        api.MapPost("/journeys/{journeyId}/pause", Pause);
        api.MapPost("/journeys/{journeyId}/resume", Resume);
        api.MapPost("/journeys/{journeyId}/archive", Archive);
        api.MapPost("/spaces/{spaceId}/journeys/import", Import);
        api.MapPost("/spaces/{spaceId}/journeys/validate", Validate);
        api.MapGet("/journeys/{journeyId}/export", Export);
        api.MapPut("/journeys/{journeyId}/steps", ReplaceSteps);
        api.MapPost("/journeys/{journeyId}/versions", CreateVersion);
        api.MapPost("/journeys/{journeyId}/clone", Clone);
        api.MapGet("/journeys/{journeyId}/steps/counts", GetStepCounts);
        api.MapGet("/journeys/{journeyId}/flow", GetFlow);
        api.MapGet("/journeys/{journeyId}/steps/{stepId}/members", GetStepMembers);
        return api;
    }

    public static Task<Results<Ok<IReadOnlyList<JourneyInfo>>, BadInputProblem, NotFoundProblem>> ListJourneys(string spaceId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ListJourneysAsync(spaceId));

    public static Task<Results<Created<JourneyInfo>, BadInputProblem, NotFoundProblem>> CreateJourney(string spaceId, JourneyDefinition definition, IJourneysClient j) =>
        ApiAnswers.Created(() => j.CreateJourneyAsync(definition, spaceId), Location);

    public static Task<Results<Ok<JourneyInfo>, BadInputProblem, NotFoundProblem>> GetJourney(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetJourneyAsync(journeyId));

    public static Task<Results<Ok<JourneyWorkProgress>, BadInputProblem, NotFoundProblem>> GetProgress(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(async () => JourneyWorkProgress.Of(await j.GetJourneyAsync(journeyId)));

    public static Task<Results<Created<StepInfo>, BadInputProblem, NotFoundProblem>> AddStep(string journeyId, StepDefinition definition, IJourneysClient j) =>
        ApiAnswers.Created(() => j.AddStepAsync(journeyId, definition), created => $"/api/steps/{created.Id}");

    public static Task<Results<Ok<JourneyInfo>, BadInputProblem, NotFoundProblem>> Publish(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.PublishAsync(journeyId));

    public static Task<Results<Ok<JourneyInfo>, BadInputProblem, NotFoundProblem>> Pause(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.PauseJourneyAsync(journeyId));

    public static Task<Results<Ok<JourneyInfo>, BadInputProblem, NotFoundProblem>> Resume(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ResumeJourneyAsync(journeyId));

    public static Task<Results<Ok<JourneyInfo>, BadInputProblem, NotFoundProblem>> Archive(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ArchiveJourneyAsync(journeyId));

    public static Task<Results<Created<JourneyInfo>, BadInputProblem, NotFoundProblem>> Import(string spaceId, JourneyDocument document, IJourneysClient j) =>
        ApiAnswers.Created(() => j.ImportJourneyAsync(document, spaceId), Location);

    public static Task<Results<Ok<Validity>, BadInputProblem, NotFoundProblem>> Validate(string spaceId, JourneyDocument document, IJourneysClient j) =>
        ApiAnswers.Ok(async () =>
        {
            await j.ValidateJourneyAsync(document, spaceId);
            return new Validity(true);
        });

    public static Task<Results<Ok<JourneyDocument>, BadInputProblem, NotFoundProblem>> Export(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ExportJourneyAsync(journeyId));

    public static Task<Results<Ok<JourneyInfo>, BadInputProblem, NotFoundProblem>> ReplaceSteps(
        string journeyId, IReadOnlyList<StepDocument> steps, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ReplaceStepsAsync(journeyId, steps));

    public static Task<Results<Created<JourneyInfo>, BadInputProblem, NotFoundProblem>> CreateVersion(string journeyId, IJourneysClient j) =>
        ApiAnswers.Created(() => j.CreateVersionAsync(journeyId), Location);

    public static Task<Results<Created<JourneyInfo>, BadInputProblem, NotFoundProblem>> Clone(string journeyId, CloneRequest? request, IJourneysClient j) =>
        ApiAnswers.Created(() => j.CloneJourneyAsync(journeyId, request?.Name), Location);

    public static Task<Results<Ok<IReadOnlyList<StepCount>>, BadInputProblem, NotFoundProblem>> GetStepCounts(string journeyId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetStepCountsAsync(journeyId));

    /// <summary>
    /// The journey's flow over <c>window</c> (<c>24h</c>, the default, or <c>1h</c>), from the stored history: users who
    /// entered it, entered and left each step, took each split branch (by index), and exited it, by reason.
    /// </summary>
    public static Task<Results<Ok<JourneyFlow>, BadInputProblem, NotFoundProblem>> GetFlow(
        string journeyId, string? window, IJourneysClient j, IHistoryStore history, TimeProvider clock) =>
        ApiAnswers.Ok(async () =>
        {
            var chosen = HistoryWindow.Chosen(window, HistoryWindow.Day);
            var journey = await j.GetJourneyAsync(journeyId);
            return await history.FlowAsync(journey.Id, chosen, clock.GetUtcNow());
        });

    public static Task<Results<Ok<MemberPage>, BadInputProblem, NotFoundProblem>> GetStepMembers(
        string journeyId, string stepId, string? pageToken, int? pageSize, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetStepMembersAsync(journeyId, stepId, pageToken, pageSize ?? 100));

    private static string Location(JourneyInfo created) => $"/api/journeys/{created.Id}";
}

/// <summary>
/// Where a journey's backfill or archive sweep stands: what the pages poll, and <c>journeys progress</c> watches.
/// <see cref="Progress"/> is of the walk running or the last one; null for a draft or a journey that never walked.
/// </summary>
public sealed record JourneyWorkProgress(string JourneyId, JourneyStatus Status, bool BackgroundWorkPending, WorkProgress? Progress)
{
    public static JourneyWorkProgress Of(JourneyInfo journey) => new(journey.Id, journey.Status, journey.BackgroundWorkPending, journey.Progress);
}

/// <summary>The answer to a document that passed every check.</summary>
public sealed record Validity(bool Valid);

/// <summary>The name of a clone; "Copy of …" when none is given.</summary>
public sealed record CloneRequest(string? Name);
