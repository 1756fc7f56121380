using Journeys.Orleans.Domain;

namespace Journeys.Orleans.Payloads;

/// <summary>A payload ready to send to an event destination: its message id, its user, and its JSON body.</summary>
[GenerateSerializer, Immutable, Alias("journeys.OutgoingPayload")]
public sealed record OutgoingPayload(
    [property: Id(0)] string MessageId,
    [property: Id(1)] CallType CallType,
    [property: Id(2)] string UserKey,
    [property: Id(3)] string Json);
