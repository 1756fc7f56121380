using Journeys.Orleans.Model;
using Microsoft.AspNetCore.Mvc;

namespace Journeys.Orleans.Silo;

/// <summary>
/// Turns the domain's errors into problem-details answers for the management API and the pages alike: bad input is a
/// 400 naming the field and the reason, an unknown id a 404.
/// </summary>
public static class Problems
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (JourneysValidationException ex)
        {
            return TypedResults.Problem(BadInput(ex));
        }
        catch (JourneysNotFoundException ex)
        {
            return TypedResults.Problem(NotFound(ex));
        }
    }

    /// <summary>400: the field and the reason.</summary>
    public static ProblemDetails BadInput(JourneysValidationException ex) => new()
    {
        Title = "Bad input", Detail = ex.Message, Status = StatusCodes.Status400BadRequest,
        Extensions = { ["field"] = ex.Field, ["reason"] = ex.Reason },
    };

    /// <summary>404: the kind of thing and its id.</summary>
    public static ProblemDetails NotFound(JourneysNotFoundException ex) => new()
    {
        Title = "Not found", Detail = ex.Message, Status = StatusCodes.Status404NotFound,
        Extensions = { ["kind"] = ex.Kind, ["id"] = ex.Id },
    };
}
