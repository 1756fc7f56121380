using System.Text;
using System.Text.Json;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Journeys.Orleans.Silo.Telemetry;
using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Silo.Ingestion;

/// <summary>
/// Segment's HTTP tracking API: <c>POST /v1/track</c>, <c>/v1/identify</c>, <c>/v1/batch</c> (and <c>page</c>,
/// <c>screen</c>, <c>group</c>, <c>alias</c>, acknowledged), authenticated with a space's write key as the basic auth
/// user name, with Segment's size limits. Segment's client libraries work against it by changing their host.
/// </summary>
public static class SegmentIngestionEndpoints
{
    private static readonly string[] SingleCallTypes = ["track", "identify", "page", "screen", "group", "alias"];

    public static IServiceCollection AddSegmentIngestion(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<IngestionOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(IngestionOptions.SectionName));
        services.AddSingleton<WriteKeyResolver>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    public static IEndpointRouteBuilder MapSegmentIngestion(this IEndpointRouteBuilder endpoints)
    {
        foreach (var type in SingleCallTypes)
            endpoints.MapPost($"/v1/{type}", (Func<HttpContext, Task<IResult>>)(context => CountedAsync(context, type)));
        endpoints.MapPost("/v1/batch", (Func<HttpContext, Task<IResult>>)(context => CountedAsync(context, null)));
        return endpoints;
    }

    /// <summary>Handles the request, and counts it as refused when it was answered with an error.</summary>
    private static async Task<IResult> CountedAsync(HttpContext context, string? type)
    {
        TraceResponse.Add(context);
        var result = await HandleAsync(context, type);
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 and var status })
            context.RequestServices.GetRequiredService<JourneysMetrics>().EventsRefused(RefusalReason(status));
        return result;
    }

    private static string RefusalReason(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_encoding",
        StatusCodes.Status503ServiceUnavailable => "storage_unavailable",
        < 500 => "invalid",
        _ => "failed",
    };

    private static async Task<IResult> HandleAsync(HttpContext context, string? type)
    {
        var limit = type is null ? SegmentCallParser.MaxBatchBytes : SegmentCallParser.MaxCallBytes;
        // The decompression middleware removes the Content-Encoding it decodes; one still here is one it cannot read.
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            return Error(StatusCodes.Status415UnsupportedMediaType, "body", $"Content-Encoding \"{encoding}\" is not supported (gzip, deflate, br)");
        byte[]? body;
        try
        {
            // A compressed body arrives here already decompressed (request decompression middleware), so the limit
            // below is Segment's limit on the decompressed JSON, and a decompression bomb stops at the limit.
            body = await ReadLimitedAsync(context.Request, limit);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException)
        {
            // GZip/Deflate throw InvalidDataException on corrupt data, Brotli InvalidOperationException.
            return Error(StatusCodes.Status400BadRequest, "body", $"cannot be decompressed: {ex.Message}");
        }
        if (body is null)
            return Error(StatusCodes.Status400BadRequest, "body", $"the request is larger than Segment's limit of {limit / 1024} KB");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, "body", $"is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                var writeKey = BasicAuthUser(context.Request) ?? BodyWriteKey(document.RootElement);
                if (string.IsNullOrEmpty(writeKey))
                    return Error(StatusCodes.Status401Unauthorized, "writeKey", "is missing: send it as the HTTP basic auth user name");
                var resolver = context.RequestServices.GetRequiredService<WriteKeyResolver>();
                var spaceId = await resolver.ResolveAsync(writeKey);
                if (spaceId is null) return Error(StatusCodes.Status401Unauthorized, "writeKey", "is not a valid write key");

                var journeys = context.RequestServices.GetRequiredService<IJourneysClient>();
                var metrics = context.RequestServices.GetRequiredService<JourneysMetrics>();
                return type is null
                    ? await HandleBatchAsync(journeys, metrics, document.RootElement, spaceId)
                    : await HandleSingleAsync(journeys, metrics, document.RootElement, spaceId, type);
            }
            catch (JourneysValidationException ex)
            {
                return Error(StatusCodes.Status400BadRequest, ex.Field, ex.Reason);
            }
            catch (Exception ex) when (StorageOutage.IsOutage(ex))
            {
                // The call was not stored: say so in a way every Segment client retries, instead of a bare 500.
                Logger(context).StorageUnavailable(ex, context.Request.Path.Value);
                context.Response.Headers.RetryAfter = StorageOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Error(StatusCodes.Status503ServiceUnavailable, "storage", $"is unavailable; retry after {StorageOutage.RetryAfterSeconds} s");
            }
            catch (Exception ex)
            {
                Logger(context).CallFailed(ex, context.Request.Path.Value);
                return Error(StatusCodes.Status500InternalServerError, "server", "the call failed; it may not have been stored");
            }
        }
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Journeys.Ingestion");

    private static async Task<IResult> HandleSingleAsync(IJourneysClient journeys, JourneysMetrics metrics, JsonElement root, string spaceId, string type)
    {
        SegmentCall call;
        try
        {
            call = SegmentCallParser.Parse(root, spaceId, type);
        }
        catch (JourneysValidationException ex)
        {
            return Error(StatusCodes.Status400BadRequest, ex.Field, ex.Reason);
        }
        await SendAsync(journeys, metrics, call);
        return TypedResults.Json(new { success = true });
    }

    private static async Task<IResult> HandleBatchAsync(IJourneysClient journeys, JourneysMetrics metrics, JsonElement root, string spaceId)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
            return Error(StatusCodes.Status400BadRequest, "batch", "must be an array of calls");

        var errors = new List<object>();
        var calls = new List<SegmentCall>();
        var index = 0;
        foreach (var item in batch.EnumerateArray())
        {
            try
            {
                // The call's size as sent, measured on its raw UTF-8 without transcoding it (which bad bytes would fail).
                if (System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(item).Length > SegmentCallParser.MaxCallBytes)
                    throw new JourneysValidationException("call", $"is larger than Segment's limit of {SegmentCallParser.MaxCallBytes / 1024} KB");
                calls.Add(SegmentCallParser.Parse(item, spaceId));
            }
            catch (JourneysValidationException ex)
            {
                errors.Add(new { index, field = ex.Field, reason = ex.Reason });
            }
            index++;
        }

        // Every call was checked above before any is applied: a bad call is an error at its index and is not sent,
        // so the batch is applied with per-index errors, never half-applied because of a bad call.
        // Each user's calls in the batch's order; different users at the same time.
        await Task.WhenAll(calls.GroupBy(UserOf).Select(async userCalls =>
        {
            foreach (var call in userCalls) await SendAsync(journeys, metrics, call);
        }));
        if (errors.Count > 0) metrics.EventsRefused("invalid", errors.Count);
        return errors.Count == 0 ? TypedResults.Json<object>(new { success = true }) : TypedResults.Json<object>(new { success = true, errors });
    }

    private static string UserOf(SegmentCall call) => call switch
    {
        { Track: { } track } => GrainKeys.UserKey(track.UserId, track.AnonymousId),
        { Identify: { } identify } => GrainKeys.UserKey(identify.UserId, identify.AnonymousId),
        _ => "",
    };

    private static async Task SendAsync(IJourneysClient journeys, JourneysMetrics metrics, SegmentCall call)
    {
        await (call switch
        {
            { Track: { } track } => journeys.TrackAsync(track),
            { Identify: { } identify } => journeys.IdentifyAsync(identify),
            { Alias: { } alias } => journeys.AliasAsync(alias),
            _ => Task.CompletedTask,
        });
        metrics.EventAccepted(call.Type);
    }

    private static IResult Error(int status, string field, string reason) =>
        TypedResults.Json(new { success = false, field, message = $"{field}: {reason}" }, statusCode: status);

    private static string? BasicAuthUser(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon < 0 ? decoded : decoded[..colon];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? BodyWriteKey(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("writeKey", out var key) || key.ValueKind != JsonValueKind.String)
            return null;
        try
        {
            return key.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new JourneysValidationException("writeKey", "is not valid Unicode text");
        }
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
