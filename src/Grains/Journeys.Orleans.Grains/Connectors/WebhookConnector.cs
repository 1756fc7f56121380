using System.Net.Http.Headers;
using System.Text;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Connectors;

/// <summary>POSTs each payload as JSON to the destination's URL with its configured headers.</summary>
public sealed class WebhookConnector(IHttpClientFactory httpClients, ILogger<WebhookConnector> logger) : IEventConnector
{
    /// <summary>The name of the <see cref="HttpClient"/> this connector uses.</summary>
    public const string HttpClientName = "journeys-webhook";

    private const int ResponseBytesKept = 256;

    public ConnectorKind Kind => ConnectorKind.Webhook;

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var outcomes = new List<SendOutcome>(payloads.Count);
        foreach (var payload in payloads)
        {
            var outcome = await SendOneAsync(client, destinationId, destination, payload, cancellationToken);
            outcomes.Add(outcome);
            if (outcome.Retryable) break;
        }
        return outcomes;
    }

    private async Task<SendOutcome> SendOneAsync(
        HttpClient client, string destinationId, DestinationDefinition destination, OutgoingPayload payload, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, destination.WebhookUrl)
        {
            Content = new StringContent(payload.Json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in destination.Headers)
            request.Headers.TryAddWithoutValidation(name, value);

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode) return SendOutcome.Success(payload.MessageId);

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Length > ResponseBytesKept) body = body[..ResponseBytesKept];
            var reason = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {body}";
            logger.LogWarning("Webhook of {DestinationId} refused {MessageId}: {Reason}", destinationId, payload.MessageId, reason);
            return SendOutcome.Failure(payload.MessageId, reason);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is TaskCanceledException ? "timed out" : $"{ex.GetType().Name}: {ex.Message}";
            logger.LogWarning("Webhook of {DestinationId} got no answer for {MessageId}: {Reason}", destinationId, payload.MessageId, reason);
            return SendOutcome.NoAnswer(payload.MessageId, reason);
        }
    }
}
