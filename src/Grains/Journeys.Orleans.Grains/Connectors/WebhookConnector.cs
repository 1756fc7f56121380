using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// POSTs each payload as JSON to the destination's URL with its configured headers and, when the destination has a
/// signing secret, an <c>X-Journeys-Signature: sha256=…</c> HMAC of the body. The per-attempt timeout and a circuit
/// breaker per receiving host come from the HTTP client's resilience pipeline.
/// </summary>
public sealed class WebhookConnector(IHttpClientFactory httpClients, ILogger<WebhookConnector> logger) : IEventConnector
{
    /// <summary>The name of the <see cref="HttpClient"/> this connector uses.</summary>
    public const string HttpClientName = "journeys-webhook";

    /// <summary>The header that carries the body's signature.</summary>
    public const string SignatureHeader = "X-Journeys-Signature";

    private const int ResponseCharactersKept = 256;

    public ConnectorKind Kind => ConnectorKind.Webhook;

    /// <summary><c>sha256=</c> + the lower-case hex HMAC-SHA256 of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public async Task<IReadOnlyList<SendOutcome>> SendAsync(
        string destinationId, DestinationDefinition destination, IReadOnlyList<OutgoingPayload> payloads, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        var outcomes = new List<SendOutcome>(payloads.Count);
        foreach (var payload in payloads)
            outcomes.Add(await SendOneAsync(client, destinationId, destination, payload, cancellationToken));
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
        if (!string.IsNullOrEmpty(destination.SigningSecret))
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(destination.SigningSecret, payload.Json));

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return SendOutcome.Accepted(payload.MessageId);

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Length > ResponseCharactersKept) body = body[..ResponseCharactersKept];
            var detail = $"HTTP {status} {response.ReasonPhrase}";
            logger.LogWarning("Webhook of {DestinationId} answered {Status} for {MessageId}", destinationId, status, payload.MessageId);
            return new SendOutcome(payload.MessageId, status, detail, RetryAfter(response), body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutRejectedException
                                       or BrokenCircuitException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            var detail = ex switch
            {
                TaskCanceledException or TimeoutRejectedException => "timed out",
                BrokenCircuitException => "circuit open: the receiver kept failing",
                _ => $"{ex.GetType().Name}: {ex.Message}",
            };
            logger.LogWarning("Webhook of {DestinationId} got no answer for {MessageId}: {Detail}", destinationId, payload.MessageId, detail);
            return SendOutcome.NoAnswer(payload.MessageId, detail);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow;
        return response.Headers.TryGetValues("Retry-After", out var values)
               && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }
}
