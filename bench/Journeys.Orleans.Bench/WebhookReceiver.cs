using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Orleans.Bench;

/// <summary>
/// A loopback HTTP receiver for webhook payloads (one object, or an array when batched). It notes when each user's
/// first payload arrived, so figures are measured where the payloads land, not where the silo says they went.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(long Users, TaskCompletionSource Reached)> _waiters = [];
    private WebApplication _app = null!;
    private long _payloads;
    private long _users;

    public string Url { get; private set; } = "";

    /// <summary>Payloads received, duplicates (retries) included.</summary>
    public long Payloads => Interlocked.Read(ref _payloads);

    /// <summary>Distinct users a payload arrived for.</summary>
    public long Users => Interlocked.Read(ref _users);

    /// <summary>When each user's first payload arrived (Stopwatch timestamps).</summary>
    public ConcurrentDictionary<string, long> ReceivedAt { get; } = new();

    /// <summary>Starts a receiver that answers each request after <paramref name="answerAfter"/> (zero: at once).</summary>
    public static async Task<WebhookReceiver> StartAsync(TimeSpan answerAfter = default)
    {
        var receiver = new WebhookReceiver();
        var (app, baseUrl) = await LoopbackHttp.StartAsync(app => app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var json = await JsonDocument.ParseAsync(request.Body);
            receiver.Arrived(json.RootElement, Stopwatch.GetTimestamp());
            // The deliberate answer time of a slow receiver: what bounds delivery then is how many requests are in flight.
            if (answerAfter > TimeSpan.Zero) await Task.Delay(answerAfter);
            return Results.Ok();
        }));
        receiver._app = app;
        receiver.Url = baseUrl + "/hook";
        return receiver;
    }

    /// <summary>Waits until payloads arrived for <paramref name="users"/> distinct users in all; false at the timeout.</summary>
    public async Task<bool> WaitForUsersAsync(long users, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_users >= users) return true;
            _waiters.Add((users, reached));
        }
        try
        {
            await reached.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_gate) _waiters.RemoveAll(w => w.Reached == reached);
            return false;
        }
    }

    private void Arrived(JsonElement root, long now)
    {
        var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
        var newUsers = items.Count(item => item.TryGetProperty("userId", out var user) && ReceivedAt.TryAdd(user.GetString()!, now));
        Interlocked.Add(ref _payloads, items.Count);
        if (newUsers == 0) return;
        lock (_gate)
        {
            _users += newUsers;
            foreach (var waiter in _waiters.Where(w => w.Users <= _users).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
