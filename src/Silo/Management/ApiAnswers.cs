using System.Reflection;
using Journeys.Orleans.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Journeys.Orleans.Silo.Management;

/// <summary>
/// A 400 problem (bad input, naming the field): written exactly as <see cref="Problems"/> writes it, and declared in
/// the endpoint's metadata so that the OpenAPI document lists it.
/// </summary>
public sealed class BadInputProblem(ProblemDetails problem) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>
{
    public int? StatusCode => StatusCodes.Status400BadRequest;
    public ProblemDetails Value => problem;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(problem).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>A 404 problem (an unknown id, with its kind): as <see cref="BadInputProblem"/>, for <see cref="JourneysNotFoundException"/>.</summary>
public sealed class NotFoundProblem(ProblemDetails problem) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>
{
    public int? StatusCode => StatusCodes.Status404NotFound;
    public ProblemDetails Value => problem;

    public Task ExecuteAsync(HttpContext httpContext) => TypedResults.Problem(problem).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ProblemDetails), ["application/problem+json"]));
}

/// <summary>
/// Runs a management call and answers with its typed result, or with the problem its domain error means: every call
/// may meet bad input (400) or an unknown id (404), so each endpoint's signature, and the OpenAPI document, says so.
/// The call is a function so that an id refused before any task exists is answered the same way. Other exceptions go
/// on to the exception handler, as before.
/// </summary>
public static class ApiAnswers
{
    public static async Task<Results<Ok<T>, BadInputProblem, NotFoundProblem>> Ok<T>(Func<Task<T>> call)
    {
        try
        {
            return TypedResults.Ok(await call());
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

    public static async Task<Results<Created<T>, BadInputProblem, NotFoundProblem>> Created<T>(Func<Task<T>> call, Func<T, string> location)
    {
        try
        {
            var created = await call();
            return TypedResults.Created(location(created), created);
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

    public static async Task<Results<NoContent, BadInputProblem, NotFoundProblem>> NoContent(Func<Task> call)
    {
        try
        {
            await call();
            return TypedResults.NoContent();
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
