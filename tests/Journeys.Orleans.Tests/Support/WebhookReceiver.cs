using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 (Kestrel, random port) that keeps every request it receives.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>The status code answered; 200 unless a test changes it.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>How long each request is held before it is answered.</summary>
    public TimeSpan Delay { get; set; }

    public string Url { get; private set; } = "";

    /// <summary>The message ids received, in order (duplicates included).</summary>
    public IReadOnlyList<string> MessageIds => Requests
        .Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("messageId").GetString()!)
        .ToList();

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            if (receiver.Delay > TimeSpan.Zero) await Task.Delay(receiver.Delay);
            receiver.Requests.Enqueue(new ReceivedRequest(
                body,
                request.ContentType,
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return Results.Text("{\"received\":true}", "application/json", statusCode: receiver.StatusCode);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedRequest(string Body, string? ContentType, IReadOnlyDictionary<string, string> Headers);
