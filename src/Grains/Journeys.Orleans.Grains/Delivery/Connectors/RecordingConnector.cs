using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Connectors;

/// <summary>Keeps the payloads in the destination's recording grain, where the client can read them.</summary>
public sealed class RecordingConnector(IGrainFactory grains) : IEventConnector
{
    public ConnectorKind Kind => ConnectorKind.Recording;

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken)
    {
        await grains.Get<IRecordingGrain>(GrainKeys.Recording(destinationId)).RecordAsync(payloads.Select(p => p.Json).ToList());
        return payloads.Select(p => SendOutcome.Accepted(p.MessageId)).ToList();
    }
}
