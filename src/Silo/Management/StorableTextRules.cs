using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Management;

/// <summary>
/// Refuses text in API requests that cannot be stored: the NUL character (PostgreSQL refuses it) and lone UTF-16
/// surrogates. A JSON contract modifier checks every string, list of strings and dictionary of strings of an object once
/// it is read, and throws a <see cref="JsonException"/> naming the member, which <see cref="BindingProblems"/> answers
/// as a 400 naming the field. A modifier rather than a converter keeps the OpenAPI document's types.
/// </summary>
public static class StorableTextRules
{
    /// <summary>Keys of <see cref="Exception.Data"/> carrying the member and the reason to the problem answer.</summary>
    public const string FieldKey = "journeys.field", ReasonKey = "journeys.reason";

    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        var textual = typeInfo.Properties.Where(p => p.Get is not null && IsTextual(p.PropertyType)).ToArray();
        if (textual.Length == 0) return;
        var previous = typeInfo.OnDeserialized;
        typeInfo.OnDeserialized = value =>
        {
            previous?.Invoke(value);
            foreach (var property in textual) Check(property.Name, property.Get!(value));
        };
    }

    private static bool IsTextual(Type type) =>
        type == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(type) || typeof(IEnumerable<KeyValuePair<string, string>>).IsAssignableFrom(type);

    private static void Check(string field, object? value)
    {
        switch (value)
        {
            case string text:
                Refuse(text, field);
                break;
            case IEnumerable<KeyValuePair<string, string>> pairs:
                foreach (var (key, item) in pairs)
                {
                    Refuse(key, field);
                    Refuse(item, $"{field}.{key}");
                }
                break;
            case IEnumerable<string> items:
                var index = 0;
                foreach (var item in items) Refuse(item, $"{field}[{index++}]");
                break;
        }
    }

    private static void Refuse(string? text, string field)
    {
        try
        {
            InputRules.CheckText(text, field);
        }
        catch (JourneysValidationException ex)
        {
            throw new JsonException($"{ex.Field}: {ex.Reason}") { Data = { [FieldKey] = ex.Field, [ReasonKey] = ex.Reason } };
        }
    }
}
