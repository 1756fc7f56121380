using System.Text.Json;
using System.Text.Json.Serialization;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Management;

/// <summary>
/// Reads connection settings sent to the API so that naming one of <c>sendTrack</c> / <c>sendIdentify</c> means only
/// that one: <c>{"sendTrack": true}</c> sends track calls and no identify calls. With neither named, both stay on (the
/// model's default). The model cannot tell "absent" from "true", so the request's JSON is looked at here.
/// </summary>
public sealed class ConnectionSettingsJsonConverter : JsonConverter<ConnectionSettings>
{
    // The options without this converter, to read and write the record itself; made once per options instance.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> _inner = new();

    public override ConnectionSettings? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var settings = root.Deserialize<ConnectionSettings>(Inner(options));
        if (settings is null || root.ValueKind != JsonValueKind.Object) return settings;
        var namesTrack = Names(root, nameof(ConnectionSettings.SendTrack), options);
        var namesIdentify = Names(root, nameof(ConnectionSettings.SendIdentify), options);
        if (namesTrack && !namesIdentify) return settings with { SendIdentify = false };
        if (namesIdentify && !namesTrack) return settings with { SendTrack = false };
        return settings;
    }

    public override void Write(Utf8JsonWriter writer, ConnectionSettings value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Inner(options));

    private static bool Names(JsonElement root, string property, JsonSerializerOptions options)
    {
        var name = options.PropertyNamingPolicy?.ConvertName(property) ?? property;
        foreach (var member in root.EnumerateObject())
        {
            var matches = options.PropertyNameCaseInsensitive
                ? string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase)
                : member.Name == name;
            if (matches) return member.Value.ValueKind is not JsonValueKind.Null;
        }
        return false;
    }

    private JsonSerializerOptions Inner(JsonSerializerOptions options) => _inner.GetValue(options, outer =>
    {
        var inner = new JsonSerializerOptions(outer);
        inner.Converters.Remove(this);
        return inner;
    });
}
