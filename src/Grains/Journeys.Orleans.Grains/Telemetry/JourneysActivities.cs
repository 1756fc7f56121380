using System.Diagnostics;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Telemetry;

/// <summary>
/// The project's spans, on the activity source <see cref="SourceName"/>. A payload is sent long after the request that
/// caused it ended (it waits in its partition, maybe across a restart), so the span of its POST is started from the
/// trace context the payload carries, not from whatever is current: the receiver's <c>traceparent</c> then belongs to
/// the trace that <c>POST /v1/batch</c> started.
/// </summary>
public static class JourneysActivities
{
    public const string SourceName = "Journeys.Orleans";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The trace context to keep with payloads built now: the current span's W3C <c>traceparent</c>, or null when
    /// nothing is traced.
    /// </summary>
    public static string? CurrentTraceParent =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts the span of one request carrying <paramref name="payloads"/> to a destination, a child of the first
    /// payload's trace and linked to the others' (a batch can hold several users' payloads). Null when nobody listens.
    /// </summary>
    public static Activity? StartDelivery(string destinationId, IReadOnlyList<OutgoingPayload> payloads)
    {
        if (!Source.HasListeners() || payloads.Count == 0) return null;
        ActivityContext.TryParse(payloads[0].TraceParent, null, isRemote: true, out var parent);
        List<ActivityLink>? links = null;
        for (var i = 1; i < payloads.Count; i++)
        {
            if (ActivityContext.TryParse(payloads[i].TraceParent, null, isRemote: true, out var other))
                (links ??= []).Add(new ActivityLink(other));
        }
        // The payload's own context, not the partition's turn, is the parent: clear Current so it is not taken instead.
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = Source.StartActivity("journeys.deliver", ActivityKind.Internal, parent, links: links);
        if (activity is null) Activity.Current = previous;
        activity?.SetTag("journeys.destination", destinationId);
        activity?.SetTag("journeys.payloads", payloads.Count);
        return activity;
    }
}
