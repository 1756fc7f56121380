using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Journeys.Orleans.Silo.Management;

/// <summary>Steps (read, rename, connect a destination) and users (a profile with its journeys and memberships).</summary>
public static class StepsApi
{
    public static RouteGroupBuilder MapStepsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/steps/{stepId}", GetStep);
        api.MapPatch("/steps/{stepId}", RenameStep);
        api.MapPost("/steps/{stepId}/connections", Connect);
        api.MapGet("/steps/{stepId}/connections/{destinationId}/backfill", GetConnectBackfill);
        api.MapGet("/spaces/{spaceId}/users/{userId}", GetUser);
        api.MapGet("/spaces/{spaceId}/anonymous-users/{anonymousId}", GetAnonymousUser);
        return api;
    }

    public static Task<Results<Ok<StepInfo>, BadInputProblem, NotFoundProblem>> GetStep(string stepId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetStepAsync(stepId));

    public static Task<Results<Ok<StepInfo>, BadInputProblem, NotFoundProblem>> RenameStep(string stepId, RenameRequest request, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.RenameStepAsync(stepId, request.Name ?? ""));

    public static Task<Results<Ok<StepInfo>, BadInputProblem, NotFoundProblem>> Connect(string stepId, ConnectRequest request, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.ConnectAsync(stepId, request.DestinationId ?? "", request.Settings));

    public static Task<Results<Ok<ConnectBackfillStatus>, BadInputProblem, NotFoundProblem>> GetConnectBackfill(
        string stepId, string destinationId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetConnectBackfillAsync(stepId, destinationId));

    public static Task<Results<Ok<UserView>, BadInputProblem, NotFoundProblem>> GetUser(string spaceId, string userId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetUserAsync(userId, spaceId: spaceId));

    public static Task<Results<Ok<UserView>, BadInputProblem, NotFoundProblem>> GetAnonymousUser(string spaceId, string anonymousId, IJourneysClient j) =>
        ApiAnswers.Ok(() => j.GetUserAsync(null, anonymousId, spaceId));
}

/// <summary>A step's new name.</summary>
public sealed record RenameRequest(string? Name);

/// <summary>A destination to connect to a send step, with the connection's settings.</summary>
public sealed record ConnectRequest(string? DestinationId, ConnectionSettings? Settings);
