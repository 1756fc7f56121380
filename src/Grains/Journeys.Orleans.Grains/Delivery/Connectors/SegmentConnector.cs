using System.Net.Http.Headers;
using System.Text;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// Feeds a Segment-compatible collector (Segment itself, or another Journeys.Orleans) through its HTTP tracking API:
/// POST <c>{host}/v1/batch</c> with <c>{"batch":[…]}</c>, the write key as the basic auth user name.
/// </summary>
public sealed class SegmentConnector(IHttpClientFactory httpClients, ILogger<SegmentConnector> logger) : IEventConnector
{
    private const int DefaultBatchSize = 100;

    public ConnectorKind Kind => ConnectorKind.Segment;

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(WebhookConnector.HttpClientName);
        var url = destination.SegmentHost!.TrimEnd('/') + "/v1/batch";
        var authorization = new KeyValuePair<string, string>("Authorization",
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(destination.SegmentWriteKey + ":"))).ToString());
        var outcomes = new List<SendOutcome>(payloads.Count);
        foreach (var chunk in payloads.Chunk(destination.BatchSize > 1 ? destination.BatchSize : DefaultBatchSize))
        {
            var body = "{\"batch\":[" + string.Join(",", chunk.Select(p => p.Json)) + "],\"sentAt\":\""
                + SegmentPayloadBuilder.FormatTimestamp(DateTimeOffset.UtcNow) + "\"}";
            using var span = JourneysActivities.StartDelivery(destinationId, chunk);
            var answer = await JsonPoster.PostAsync(client, url, body, [authorization], cancellationToken);
            if (answer.Status is not (>= 200 and < 300))
                logger.LogWarning("Segment collector of {DestinationId} did not take {Count} payloads: {Detail}", destinationId, chunk.Length, answer.Detail);
            outcomes.AddRange(chunk.Select(p => SendOutcome.From(p.MessageId, answer)));
        }
        return outcomes;
    }
}
