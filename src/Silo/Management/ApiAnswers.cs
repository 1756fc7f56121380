using System.Reflection;
using Journeys.Orleans.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Journeys.Orleans.Silo.Management;

/// <summary>
/// A problem answer: written exactly as <see cref="Problems"/> writes it, and declared in the endpoint's metadata (by
/// each subclass, for its status) so that the OpenAPI document lists it.
/// </summary>
public abstract class ProblemAnswer(ProblemDetails problem, int status) : IResult, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>
{
    public int? StatusCode => status;
    public ProblemDetails Value => problem;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(problem).ExecuteAsync(httpContext);

    protected static void Declare(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>A 400 problem: bad input, naming the field.</summary>
public sealed class BadInputProblem(ProblemDetails problem) : ProblemAnswer(problem, StatusCodes.Status400BadRequest), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status400BadRequest);
}

/// <summary>A 404 problem: an unknown id, with its kind (<see cref="JourneysNotFoundException"/>).</summary>
public sealed class NotFoundProblem(ProblemDetails problem) : ProblemAnswer(problem, StatusCodes.Status404NotFound), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>
/// Runs a management call and answers with its typed result, or with the problem its domain error means: every call
/// may meet bad input (400) or an unknown id (404), so each endpoint's signature, and the OpenAPI document, says so.
/// The call is a function so that an id refused before any task exists is answered the same way. Other exceptions go
/// on to the exception handler, as before.
/// </summary>
public static class ApiAnswers
{
    public static Task<Results<Ok<T>, BadInputProblem, NotFoundProblem>> Ok<T>(Func<Task<T>> call) =>
        AnswerAsync(async () => TypedResults.Ok(await call()));

    public static Task<Results<Created<T>, BadInputProblem, NotFoundProblem>> Created<T>(Func<Task<T>> call, Func<T, string> location) =>
        AnswerAsync(async () =>
        {
            var created = await call();
            return TypedResults.Created(location(created), created);
        });

    public static Task<Results<NoContent, BadInputProblem, NotFoundProblem>> NoContent(Func<Task> call) =>
        AnswerAsync(async () =>
        {
            await call();
            return TypedResults.NoContent();
        });

    private static async Task<Results<TAnswer, BadInputProblem, NotFoundProblem>> AnswerAsync<TAnswer>(Func<Task<TAnswer>> call)
        where TAnswer : IResult
    {
        try
        {
            return await call();
        }
        catch (JourneysValidationException ex)
        {
            return new BadInputProblem(Problems.BadInput(ex));
        }
        catch (JourneysNotFoundException ex)
        {
            return new NotFoundProblem(Problems.NotFound(ex));
        }
    }
}
