using System.Security.Cryptography;
using System.Text;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Telemetry;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// POSTs each payload as JSON to the destination's URL with its configured headers — or, with a batch size above 1,
/// JSON arrays of up to that many payloads — and, when the destination has a signing secret, an
/// <c>X-Journeys-Signature: sha256=…</c> HMAC of the body. The per-attempt timeout and a circuit breaker per
/// receiving host come from the HTTP client's resilience pipeline.
/// </summary>
public sealed class WebhookConnector(IHttpClientFactory httpClients, ILogger<WebhookConnector> logger) : IEventConnector
{
    /// <summary>The name of the <see cref="HttpClient"/> the HTTP connectors use.</summary>
    public const string HttpClientName = "journeys-webhook";

    /// <summary>The header that carries the body's signature.</summary>
    public const string SignatureHeader = "X-Journeys-Signature";

    public ConnectorKind Kind => ConnectorKind.Webhook;

    /// <summary><c>sha256=</c> + the lower-case hex HMAC-SHA256 of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var outcomes = new List<SendOutcome>(payloads.Count);
        foreach (var chunk in payloads.Chunk(Math.Max(1, destination.BatchSize)))
        {
            var body = destination.BatchSize > 1 ? "[" + string.Join(",", chunk.Select(p => p.Json)) + "]" : chunk[0].Json;
            var headers = destination.Headers.AsEnumerable();
            if (!string.IsNullOrEmpty(destination.SigningSecret))
                headers = headers.Append(new KeyValuePair<string, string>(SignatureHeader, Sign(destination.SigningSecret, body)));

            // The POST's span continues the trace of the event behind it, and its traceparent header goes to the receiver.
            using var span = JourneysActivities.StartDelivery(destinationId, chunk);
            var answer = await JsonPoster.PostAsync(client, destination.WebhookUrl!, body, headers, cancellationToken);
            if (answer.Status is not (>= 200 and < 300))
                logger.LogWarning("Webhook of {DestinationId} did not take {Count} payloads: {Detail}", destinationId, chunk.Length, answer.Detail);
            outcomes.AddRange(chunk.Select(p => SendOutcome.From(p.MessageId, answer)));
        }
        return outcomes;
    }
}
