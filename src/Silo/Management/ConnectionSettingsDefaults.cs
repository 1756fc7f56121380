using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Management;

/// <summary>
/// Reads connection settings sent to the API so that naming one of <c>sendTrack</c> / <c>sendIdentify</c> means only
/// that one: <c>{"sendTrack": true}</c> sends track calls and no identify calls (and <c>{"sendTrack": false}</c>
/// identify calls only). With neither named, both stay on (the model's default). The model cannot tell "absent" from "true", so the API's JSON contract notes which of the two a
/// request set. A contract modifier rather than a converter, so the OpenAPI document still describes the settings.
/// </summary>
public static class ConnectionSettingsDefaults
{
    private sealed class Named
    {
        public bool Track;
        public bool Identify;
    }

    // The settings objects being read, with what their JSON named so far; an entry lives from the first of the two
    // properties to the end of that object.
    private static readonly ConditionalWeakTable<object, Named> Reading = new();

    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(ConnectionSettings)) return;
        var track = Property(typeInfo, nameof(ConnectionSettings.SendTrack));
        var identify = Property(typeInfo, nameof(ConnectionSettings.SendIdentify));
        if (track?.Set is not { } setTrack || identify?.Set is not { } setIdentify) return;

        track.Set = (settings, value) =>
        {
            Reading.GetOrCreateValue(settings).Track = true;
            setTrack(settings, value);
        };
        identify.Set = (settings, value) =>
        {
            Reading.GetOrCreateValue(settings).Identify = true;
            setIdentify(settings, value);
        };
        var previous = typeInfo.OnDeserialized;
        typeInfo.OnDeserialized = settings =>
        {
            previous?.Invoke(settings);
            if (!Reading.TryGetValue(settings, out var named)) return;
            Reading.Remove(settings);
            // The other one is the opposite of the one named: {"sendTrack": true} is track only, and
            // {"sendIdentify": false} stays track only rather than a connection that sends nothing.
            var value = (ConnectionSettings)settings;
            if (named.Track && !named.Identify) setIdentify(settings, !value.SendTrack);
            else if (named.Identify && !named.Track) setTrack(settings, !value.SendIdentify);
        };
    }

    private static JsonPropertyInfo? Property(JsonTypeInfo typeInfo, string memberName) =>
        typeInfo.Properties.FirstOrDefault(p => (p.AttributeProvider as MemberInfo)?.Name == memberName);
}
