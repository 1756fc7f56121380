using System.Diagnostics;

namespace Journeys.Orleans.Silo.Telemetry;

/// <summary>
/// W3C Trace Context's <c>traceresponse</c> header: tells a caller which trace its request started (or joined), so it
/// can find that trace — and the payloads it caused, whose receivers get the same trace id in <c>traceparent</c>.
/// </summary>
public static class TraceResponse
{
    public const string HeaderName = "traceresponse";

    public static void Add(HttpContext context)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
            context.Response.Headers[HeaderName] = current.Id;
    }
}
