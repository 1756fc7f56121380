using System.Globalization;
using System.Text.Json;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Ingestion;

/// <summary>One call of Segment's HTTP tracking API, understood.</summary>
public sealed record SegmentCall(string Type, TrackEvent? Track = null, IdentifyEvent? Identify = null, AliasEvent? Alias = null);

/// <summary>
/// Reads Segment-spec calls (<c>track</c>, <c>identify</c>, <c>alias</c>, and the acknowledged-only <c>page</c>,
/// <c>screen</c>, <c>group</c>) from their JSON, with Segment's limits. Property and trait values are kept in their
/// text form: strings as they are, anything else as its JSON.
/// </summary>
public static class SegmentCallParser
{
    /// <summary>Segment's limit for one call.</summary>
    public const int MaxCallBytes = 32 * 1024;

    /// <summary>Segment's limit for a batch request.</summary>
    public const int MaxBatchBytes = 500 * 1024;

    // GetString fails alike on invalid UTF-8 bytes and on an escaped surrogate without its pair.
    private const string NotUnicode = "is not valid Unicode text (invalid UTF-8, or an unpaired surrogate such as \\ud800)";

    private static readonly HashSet<string> AcknowledgedOnly = ["page", "screen", "group"];

    /// <summary>Reads one call; <paramref name="type"/> comes from the path (<c>/v1/track</c>) or the call's <c>type</c>.</summary>
    /// <exception cref="JourneysValidationException">The call is not acceptable; the field and reason say why.</exception>
    public static SegmentCall Parse(JsonElement call, string spaceId, string? type = null)
    {
        if (call.ValueKind != JsonValueKind.Object)
            throw new JourneysValidationException("call", "must be a JSON object");
        type ??= OptionalString(call, "type") ?? throw new JourneysValidationException("type", "is required in a batch");

        var messageId = OptionalString(call, "messageId");
        var timestamp = OptionalTimestamp(call);
        if (type == "alias")
        {
            var alias = new AliasEvent
            {
                SpaceId = spaceId, UserId = OptionalString(call, "userId") ?? "", PreviousId = OptionalString(call, "previousId") ?? "", MessageId = messageId,
            };
            InputRules.Check(alias);
            return new SegmentCall(type, Alias: alias);
        }

        var userId = OptionalString(call, "userId");
        var anonymousId = OptionalString(call, "anonymousId");
        InputRules.CheckIdentity(userId, anonymousId);

        switch (type)
        {
            case "track":
                var track = new TrackEvent
                {
                    SpaceId = spaceId,
                    UserId = userId,
                    AnonymousId = anonymousId,
                    Event = OptionalString(call, "event") ?? throw new JourneysValidationException("event", "is required for a track call"),
                    Properties = TextValues(call, "properties"),
                    Timestamp = timestamp,
                    MessageId = messageId,
                };
                InputRules.Check(track);
                return new SegmentCall(type, Track: track);
            case "identify":
                var identify = new IdentifyEvent
                {
                    SpaceId = spaceId,
                    UserId = userId,
                    AnonymousId = anonymousId,
                    Traits = TextValues(call, "traits"),
                    Timestamp = timestamp,
                    MessageId = messageId,
                };
                InputRules.Check(identify);
                return new SegmentCall(type, Identify: identify);
            default:
                if (!AcknowledgedOnly.Contains(type))
                    throw new JourneysValidationException("type", $"\"{type}\" is not a Segment call type (track, identify, page, screen, group, alias)");
                return new SegmentCall(type);
        }
    }

    private static string? OptionalString(JsonElement call, string name)
    {
        if (!call.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => Text(value, name),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new JourneysValidationException(name, "must be a string"),
        };
    }

    /// <summary>
    /// A string value as .NET text. The JSON reader checks UTF-8 and surrogate escapes only when it transcodes, so bad
    /// text inside a string surfaces here (as InvalidOperationException) and must become a 400 naming the field, not a
    /// 500; text that decodes but cannot be stored (NUL, a lone surrogate) is refused by InputRules.
    /// </summary>
    private static string Text(JsonElement value, string field)
    {
        try
        {
            var text = value.GetString()!;
            InputRules.CheckText(text, field);
            return text;
        }
        catch (InvalidOperationException)
        {
            throw new JourneysValidationException(field, NotUnicode);
        }
    }

    /// <summary>A nested value's JSON text; invalid UTF-8 anywhere inside it is refused like in a string.</summary>
    private static string RawText(JsonElement value, string field)
    {
        try
        {
            return value.GetRawText();
        }
        catch (InvalidOperationException)
        {
            throw new JourneysValidationException(field, NotUnicode);
        }
    }

    private static DateTimeOffset? OptionalTimestamp(JsonElement call)
    {
        var text = OptionalString(call, "timestamp");
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new JourneysValidationException("timestamp", "must be an ISO 8601 date and time");
    }

    private static Dictionary<string, string?> TextValues(JsonElement call, string name)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!call.TryGetProperty(name, out var bag) || bag.ValueKind == JsonValueKind.Null) return values;
        if (bag.ValueKind != JsonValueKind.Object) throw new JourneysValidationException(name, "must be a JSON object");
        foreach (var property in bag.EnumerateObject())
        {
            string key;
            try
            {
                key = property.Name;
            }
            catch (InvalidOperationException)
            {
                throw new JourneysValidationException(name, "a name " + NotUnicode);
            }
            InputRules.CheckText(key, name);
            // The key names the field only once it is known to be clean text.
            var field = $"{name}.{key}";
            values[key] = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => Text(property.Value, field),
                _ => RawText(property.Value, field),
            };
        }
        return values;
    }
}
