using Journeys.Orleans.Model;

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
            return Results.Problem(title: "Bad input", detail: ex.Message, statusCode: StatusCodes.Status400BadRequest,
                extensions: new Dictionary<string, object?> { ["field"] = ex.Field, ["reason"] = ex.Reason });
        }
        catch (JourneysNotFoundException ex)
        {
            return Results.Problem(title: "Not found", detail: ex.Message, statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["kind"] = ex.Kind, ["id"] = ex.Id });
        }
    }
}
