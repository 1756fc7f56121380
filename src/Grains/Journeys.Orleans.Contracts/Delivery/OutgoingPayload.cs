using Journeys.Orleans.Domain;

namespace Journeys.Orleans.Payloads;

/// <summary>
/// A payload ready to send to an event destination: its message id, its user, and its JSON body; with when the
/// transition that made it happened (what delivery latency counts from) and the W3C <c>traceparent</c> of the work that
/// caused it, if that was traced (the span of its POST continues that trace).
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.OutgoingPayload")]
public sealed record OutgoingPayload(
    [property: Id(0)] string MessageId,
    [property: Id(1)] CallType CallType,
    [property: Id(2)] string UserKey,
    [property: Id(3)] string Json,
    [property: Id(4)] DateTimeOffset? AcceptedAt = null,
    [property: Id(5)] string? TraceParent = null);
