using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Orleans.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 (Kestrel, random port) that keeps every request it receives.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>The status code answered; 200 unless a test changes it.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>When set, decides the status code of each request (its body, and how many requests came before it).</summary>
    public Func<string, int, int>? Respond { get; set; }

    /// <summary>A Retry-After header (in seconds) sent with answers other than 2xx.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>The requests answered 2xx, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => Requests.Where(r => r.Status is >= 200 and < 300).ToList();

    /// <summary>How long each request is held before it is answered.</summary>
    public TimeSpan Delay { get; set; }

    private readonly ConcurrentDictionary<string, int> _inFlightByUser = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _mostInFlight;
    private int _mostInFlightForOneUser;

    /// <summary>The requests held now, not answered yet.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests held at once.</summary>
    public int MostInFlight => Volatile.Read(ref _mostInFlight);

    /// <summary>The most requests of one user (by the body's userId) held at once.</summary>
    public int MostInFlightForOneUser => Volatile.Read(ref _mostInFlightForOneUser);

    private static void RaiseTo(ref int most, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, value, seen) != seen) { }
    }

    public string Url { get; private init; } = "";

    /// <summary>The message ids received, in order (duplicates included).</summary>
    public IReadOnlyList<string> MessageIds => Requests
        .Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("messageId").GetString()!)
        .ToList();

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        WebhookReceiver receiver = null!;
        var (app, baseUrl) = await LoopbackHttp.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var user = UserOf(body);
            RaiseTo(ref receiver._mostInFlight, Interlocked.Increment(ref receiver._inFlight));
            RaiseTo(ref receiver._mostInFlightForOneUser, receiver._inFlightByUser.AddOrUpdate(user, 1, (_, n) => n + 1));
            try
            {
                if (receiver.Delay > TimeSpan.Zero) await Task.Delay(receiver.Delay);
            }
            finally
            {
                receiver._inFlightByUser.AddOrUpdate(user, 0, (_, n) => n - 1);
                Interlocked.Decrement(ref receiver._inFlight);
            }
            int status;
            lock (receiver.Requests) status = receiver.Respond?.Invoke(body, receiver.Requests.Count) ?? receiver.StatusCode;
            receiver.Requests.Enqueue(new ReceivedRequest(
                body,
                request.ContentType,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                status,
                DateTimeOffset.UtcNow));
            if (receiver.RetryAfterSeconds is { } seconds && status >= 300)
                request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Text(status >= 300 ? "{\"error\":\"refused by the test receiver\"}" : "{\"received\":true}", "application/json", statusCode: status);
        }), port);
        receiver = new WebhookReceiver(app) { Url = baseUrl + "/hook" };
        return receiver;
    }

    private static string UserOf(string body)
    {
        try
        {
            var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
            return json.ValueKind == System.Text.Json.JsonValueKind.Object && json.TryGetProperty("userId", out var user) ? user.ToString() : "";
        }
        catch (System.Text.Json.JsonException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedRequest(string Body, string? ContentType, IReadOnlyDictionary<string, string> Headers, int Status, DateTimeOffset At)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

    public string MessageId => Json.GetProperty("messageId").GetString()!;
}
