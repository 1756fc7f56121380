using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Users;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// Keeps the payloads in the destination's recording grain, where the client can read them. The requests of all the
/// destination's partitions on this silo go to that one grain together (<see cref="CallCoalescer{TItem}"/>), rather
/// than as a grain call per payload.
/// </summary>
public sealed class RecordingConnector : IEventConnector
{
    private readonly CallCoalescer<IReadOnlyList<string>> _records;

    public RecordingConnector(IGrainFactory grains) =>
        _records = CallCoalescer.OfLists<string>(
            (recording, payloads) => grains.Get<IRecordingGrain>(recording).RecordAsync(payloads), maxItems: 1000);

    public ConnectorKind Kind => ConnectorKind.Recording;

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken)
    {
        await _records.SendAsync(GrainKeys.Recording(destinationId), payloads.Select(p => p.Json).ToList());
        return payloads.Select(p => SendOutcome.Accepted(p.MessageId)).ToList();
    }
}
