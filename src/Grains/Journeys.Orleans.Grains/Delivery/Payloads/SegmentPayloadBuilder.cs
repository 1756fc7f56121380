using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Payloads;

/// <summary>
/// Builds the Segment-format calls an event destination receives for a transition (SPEC section 5): a
/// <c>track</c> "Audience Entered" / "Audience Exited" with <c>properties[stepKey]</c>, and/or an
/// <c>identify</c> with <c>traits[stepKey]</c>, inside Segment's standard envelope.
/// </summary>
public static class SegmentPayloadBuilder
{
    // One buffer and writer per thread, reused: a fresh writer over a stream allocated several kilobytes per payload
    // (its growing buffers, then a copy), most of the event path's garbage. Building a payload never awaits.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_json;

    /// <summary>
    /// The payloads of one transition for one destination, track first. <paramref name="traits"/> are the user's, for
    /// the identifiers the connection asks for; <paramref name="traceParent"/> is the trace context of the work that
    /// made the transition, if it was traced.
    /// </summary>
    public static IReadOnlyList<OutgoingPayload> Build(
        Transition transition, ConnectionInfo connection, string? traceParent = null, IReadOnlyDictionary<string, string?>? traits = null)
    {
        var payloads = new List<OutgoingPayload>(2);
        if (Sends(transition, connection, CallType.Track)) payloads.Add(BuildOne(transition, connection, CallType.Track, traceParent, traits));
        if (Sends(transition, connection, CallType.Identify)) payloads.Add(BuildOne(transition, connection, CallType.Identify, traceParent, traits));
        return payloads;
    }

    /// <summary>
    /// Whether the connection gets a call of <paramref name="callType"/> for the transition. An entry of an
    /// event-triggered journey is not a trait of the profile (another entry may be in the same step): it is told by track
    /// calls only, as Segment's event-triggered journeys do.
    /// </summary>
    public static bool Sends(Transition transition, ConnectionInfo connection, CallType callType) => callType == CallType.Track
        ? connection.Settings.SendTrack
        : connection.Settings.SendIdentify && transition.Entry == 0;

    /// <summary>One call of one transition for one destination.</summary>
    public static OutgoingPayload BuildOne(
        Transition transition, ConnectionInfo connection, CallType callType, string? traceParent = null,
        IReadOnlyDictionary<string, string?>? traits = null)
    {
        var messageId = MessageIds.For(transition, connection.DestinationId, callType);
        var settings = connection.Settings;
        var entered = transition.Direction == TransitionDirection.Entered;

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        if (callType == CallType.Track)
        {
            json.WriteString("type", "track");
            json.WriteString("event", entered ? settings.EnteredEventName : settings.ExitedEventName);
        }
        else
        {
            json.WriteString("type", "identify");
        }
        var (userId, anonymousId) = PayloadIdentifiers.Ids(settings, transition.UserId, transition.AnonymousId);
        if (userId is not null) json.WriteString("userId", userId);
        if (anonymousId is not null) json.WriteString("anonymousId", anonymousId);
        // The step key is the call's own trait or property: an identifier of the same name never replaces it.
        // Only connections that chose identifiers carry traits: the usual payload allocates nothing for them.
        IReadOnlyList<(string Name, string Value)> identifiers = settings.Identifiers is null
            ? []
            : PayloadIdentifiers.Traits(settings, traits).Where(t => t.Name != transition.StepKey).ToList();
        json.WriteString("messageId", messageId);
        json.WriteString("timestamp", FormatTimestamp(transition.OccurredAt));

        json.WriteStartObject(callType == CallType.Track ? "properties" : "traits");
        json.WritePropertyName(transition.StepKey);
        if (settings.BooleanValues) json.WriteBooleanValue(entered);
        else json.WriteStringValue(entered ? "true" : "false");
        if (callType == CallType.Identify) WriteTraits(json, identifiers);
        if (callType == CallType.Track && transition.Context is { } context) WriteJourneyContext(json, transition, context);
        json.WriteEndObject();

        json.WriteStartObject("context");
        if (callType == CallType.Track && identifiers.Count > 0)
        {
            json.WriteStartObject("traits");
            WriteTraits(json, identifiers);
            json.WriteEndObject();
        }
        json.WriteStartObject("personas");
        json.WriteString("computation_class", transition.Entry > 0 ? "journey_step" : "audience");
        json.WriteString("computation_id", $"{transition.JourneyId}:{transition.StepId}");
        json.WriteString("computation_key", transition.StepKey);
        json.WriteString("namespace", transition.SpaceId);
        json.WriteString("space_id", transition.SpaceId);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("integrations");
        json.WriteBoolean("All", false);
        json.WriteBoolean(connection.DestinationName, true);
        json.WriteEndObject();

        json.WriteEndObject();
        json.Flush();
        return new OutgoingPayload(messageId, callType, transition.UserKey, Encoding.UTF8.GetString(buffer.WrittenSpan), transition.OccurredAt, traceParent);
    }

    /// <summary>
    /// The entry's context in the shape of Segment's event-triggered journeys: the triggering event's properties under
    /// <c>journey_context.triggering_event</c>, and <c>journey_metadata</c> naming the journey and the entry. The
    /// properties are written as text: events are kept with their properties' text forms.
    /// </summary>
    private static void WriteJourneyContext(Utf8JsonWriter json, Transition transition, IReadOnlyDictionary<string, string?> context)
    {
        json.WriteStartObject("journey_context");
        json.WriteStartObject("triggering_event");
        foreach (var (name, value) in context)
        {
            if (value is null) json.WriteNull(name);
            else json.WriteString(name, value);
        }
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("journey_metadata");
        json.WriteString("journey_id", transition.JourneyId);
        // The user's entry number (for a journey of one entry at a time, the step's epoch: which time they are in it).
        json.WriteString("epoch_id", (transition.Entry > 0 ? transition.Entry : transition.Epoch).ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }

    private static void WriteTraits(Utf8JsonWriter json, IReadOnlyList<(string Name, string Value)> identifiers)
    {
        foreach (var (name, value) in identifiers) json.WriteString(name, value);
    }

    /// <summary>ISO 8601 in UTC with milliseconds, as Segment writes it: <c>2026-11-29T10:15:00.000Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
