using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Journeys.Orleans.Silo.Management;

/// <summary>
/// Turns the request binding errors of ASP.NET Core (a body that is not JSON or does not fit, a query value that is not
/// a number) into the same problem details as the API's own checks: 400 with <c>field</c> and <c>reason</c>.
/// Binding runs before the endpoint and its filters, so these arrive as <see cref="BadHttpRequestException"/> at the
/// exception handler (with <see cref="RouteHandlerOptions.ThrowOnBadRequest"/> on) instead of as an empty 400.
/// </summary>
public sealed class BindingProblems(IProblemDetailsService problems, ILogger<BindingProblems> logger) : IExceptionHandler
{
    /// <summary>A JSON path longer than this (deep nesting) is named by its first part.</summary>
    private const int MaxFieldLength = 120;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        var (field, reason) = Describe(context, bad);
        logger.Refused(context.Request.Method, context.Request.Path.Value, field, reason);
        context.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status400BadRequest ? "Bad input" : "Bad request",
                Detail = $"{field}: {reason}",
                Extensions = { ["field"] = field, ["reason"] = reason },
            },
        });
    }

    private static (string Field, string Reason) Describe(HttpContext context, BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException json) return DescribeJson(json);
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge) return ("body", "is too large");

        // A query or route value that did not convert: ASP.NET Core names the parameter in its message
        // (Failed to bind parameter "int? pageSize" from "abc"); the endpoint's handler says which names exist, and
        // the request which of them it sent.
        // The exception handler has cleared the endpoint and route values from the context; its feature keeps them.
        var failed = context.Features.Get<IExceptionHandlerFeature>();
        var routeValues = failed?.RouteValues ?? new RouteValueDictionary();
        var parameter = failed?.Endpoint?.Metadata.OfType<System.Reflection.MethodInfo>().FirstOrDefault()?.GetParameters()
            .FirstOrDefault(p => p.Name is { } name
                && (context.Request.Query.ContainsKey(name) || routeValues.ContainsKey(name))
                && exception.Message.Contains($" {name}\"", StringComparison.Ordinal));
        if (parameter is not null)
        {
            var value = context.Request.Query.TryGetValue(parameter.Name!, out var query) ? query.ToString() : routeValues[parameter.Name!]?.ToString() ?? "";
            return (parameter.Name!, $"\"{Shorten(value)}\" is not a valid {TypeName(parameter.ParameterType)}");
        }
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType) return ("body", "must be JSON (Content-Type: application/json)");
        // The remaining binding errors are a required body that is missing.
        return ("body", exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "is required: send a JSON object" : exception.Message);
    }

    private static (string Field, string Reason) DescribeJson(JsonException json)
    {
        var path = json.Path is null or "$" ? "" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path.TrimStart('$');
        if (path.Length > MaxFieldLength) path = path.Split('.', '[')[0];
        var field = path.Length == 0 ? "body" : path;
        if (json.Data[StorableTextRules.ReasonKey] is string refused)
            return ((field == "body" ? "" : field + ".") + json.Data[StorableTextRules.FieldKey], refused);
        if (json.InnerException is InvalidOperationException { Message: var text } && text.Contains("UTF-", StringComparison.Ordinal))
            return (field, "is not valid Unicode text (invalid UTF-8, or an unpaired surrogate such as \\ud800)");
        // The serializer's message names .NET types; the caller needs to know what was wrong with their JSON.
        var reason = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? "has the wrong type, an unknown value or a number out of range"
            : "is not valid JSON: " + CutAt(CutAt(json.Message, " Path: "), " LineNumber: ");
        return (field, reason);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string CutAt(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? text : text[..at];
    }

    private static string TypeName(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "whole number",
        var t when t == typeof(bool) => "boolean (true or false)",
        var t => t.Name,
    };
}

/// <summary>Source-generated, as every refused request logs one line.</summary>
internal static partial class BindingProblemsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Field} {Reason}")]
    public static partial void Refused(this ILogger logger, string method, string? path, string field, string reason);
}
