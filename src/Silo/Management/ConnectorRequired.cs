using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Management;

/// <summary>
/// Refuses an event destination posted to the API without <c>connector</c>. The model's connector is an enum whose
/// zero value is <see cref="ConnectorKind.Recording"/> (kept so for the stored shape), so a body that forgot the field
/// would silently become an in-memory recorder that sends nothing anywhere. The JSON contract notes whether the request
/// named the connector and, for an event destination that did not, throws a <see cref="JsonException"/> that
/// <see cref="BindingProblems"/> answers as a 400 naming <c>connector</c>. List destinations need none.
/// </summary>
public static class ConnectorRequired
{
    public const string Reason = "is required for an event destination: Webhook, Segment or Recording";

    // The definitions being read whose JSON named a connector; an entry lives until that object is read.
    private static readonly ConditionalWeakTable<object, object> Named = new();

    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(DestinationDefinition)) return;
        var connector = typeInfo.Properties.FirstOrDefault(p => (p.AttributeProvider as MemberInfo)?.Name == nameof(DestinationDefinition.Connector));
        if (connector?.Set is not { } setConnector) return;

        connector.Set = (definition, value) =>
        {
            Named.AddOrUpdate(definition, definition);
            setConnector(definition, value);
        };
        var previous = typeInfo.OnDeserialized;
        typeInfo.OnDeserialized = value =>
        {
            previous?.Invoke(value);
            var named = Named.Remove(value);
            if (named || ((DestinationDefinition)value).Kind != DestinationKind.Event) return;
            throw new JsonException($"connector: {Reason}")
            {
                Data = { [StorableTextRules.FieldKey] = "connector", [StorableTextRules.ReasonKey] = Reason },
            };
        };
    }
}
