using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Journeys.Orleans.Connectors;

/// <summary>
/// One JSON POST and what came of it: the status (null when there was no answer), Retry-After, and the answer's body
/// (whole when accepted, its start otherwise).
/// </summary>
internal static class JsonPoster
{
    private const int ResponseCharactersKept = 256;

    public sealed record Answer(int? Status, string Detail, TimeSpan? RetryAfter, string? Response);

    public static async Task<Answer> PostAsync(
        HttpClient client, string url, string json, IEnumerable<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var target = new Uri(url);
        string? credentials = null;
        if (target.UserInfo.Length > 0)
        {
            // Credentials in the URL go as basic auth, and the URL goes on without them: the HTTP client, its logs and
            // the per-host resilience pipelines' names then never hold them.
            credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(target.UserInfo)));
            target = new UriBuilder(target) { UserName = "", Password = "" }.Uri;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (credentials is not null && request.Headers.Authorization is null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return new Answer(status, "accepted", null, body);
            if (body.Length > ResponseCharactersKept) body = body[..ResponseCharactersKept];
            return new Answer(status, $"HTTP {status} {response.ReasonPhrase}", RetryAfter(response), body);
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
            return new Answer(null, detail, null, null);
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
