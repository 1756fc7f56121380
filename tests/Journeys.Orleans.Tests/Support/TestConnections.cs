using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Support;

/// <summary>Connections for the engine's pure tests: an event destination and a list destination.</summary>
public static class TestConnections
{
    public static readonly ConnectionInfo Webhook = new()
    {
        DestinationId = "dst_hook", DestinationName = "Hook", DestinationKind = DestinationKind.Event, DestinationPartitions = 1,
        Settings = ConnectionSettings.Default,
    };

    public static readonly ConnectionInfo List = new()
    {
        DestinationId = "dst_list", DestinationName = "List", DestinationKind = DestinationKind.List, DestinationPartitions = 1,
        Settings = ConnectionSettings.Default,
    };
}
