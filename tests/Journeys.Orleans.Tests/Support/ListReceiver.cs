using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Orleans.Tests.Support;

/// <summary>A remote list endpoint on 127.0.0.1 implementing the list sync contract, keeping its lists in memory.</summary>
public sealed class ListReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _nextId;

    private ListReceiver(WebApplication app) => _app = app;

    public string Url { get; private init; } = "";

    /// <summary>Each remote list's members (user keys).</summary>
    public ConcurrentDictionary<string, HashSet<string>> Lists { get; } = new();

    public int ListsCreated => _nextId;

    public long ChangeRequests;

    public long MirroredMembers;

    /// <summary>Every change received, in order: the list, the member, added or removed, and its identifiers' JSON.</summary>
    public ConcurrentQueue<(string ListId, string UserKey, bool Added, string Identifiers)> Changes { get; } = new();

    /// <summary>While set, each mirror page after the first waits for it: a test can see a mirror half done.</summary>
    public TaskCompletionSource? HoldMirror { get; set; }

    /// <summary>Forgets a list, as a remote system that lost it would: its next update gets 404.</summary>
    public void Lose(string listId) => Lists.TryRemove(listId, out _);

    public HashSet<string> Members(string listId)
    {
        var set = Lists[listId];
        lock (set) return [.. set];
    }

    public static async Task<ListReceiver> StartAsync()
    {
        ListReceiver receiver = null!;
        HashSet<string> staging = [];
        var (app, baseUrl) = await LoopbackHttp.StartAsync(app =>
        {
            app.MapPost("/lists", () =>
            {
                var id = "list-" + Interlocked.Increment(ref receiver._nextId);
                receiver.Lists[id] = [];
                return Results.Json(new { id });
            });
            app.MapPost("/lists/{id}/changes", async (string id, HttpRequest request) =>
            {
                if (!receiver.Lists.TryGetValue(id, out var set)) return Results.NotFound();
                using var body = await JsonDocument.ParseAsync(request.Body);
                lock (set)
                {
                    foreach (var member in body.RootElement.GetProperty("add").EnumerateArray())
                    {
                        set.Add(member.GetProperty("userKey").GetString()!);
                        receiver.Changes.Enqueue((id, member.GetProperty("userKey").GetString()!, true, member.GetProperty("identifiers").GetRawText()));
                    }
                    foreach (var member in body.RootElement.GetProperty("remove").EnumerateArray())
                    {
                        set.Remove(member.GetProperty("userKey").GetString()!);
                        receiver.Changes.Enqueue((id, member.GetProperty("userKey").GetString()!, false, member.GetProperty("identifiers").GetRawText()));
                    }
                }
                Interlocked.Increment(ref receiver.ChangeRequests);
                return Results.Ok();
            });
            app.MapPost("/lists/{id}/mirror", async (string id, HttpRequest request) =>
            {
                if (!receiver.Lists.TryGetValue(id, out var set)) return Results.NotFound();
                using var body = await JsonDocument.ParseAsync(request.Body);
                var root = body.RootElement;
                if (!root.GetProperty("first").GetBoolean() && receiver.HoldMirror is { } hold) await hold.Task;
                lock (set)
                {
                    if (root.GetProperty("first").GetBoolean()) staging = [];
                    foreach (var member in root.GetProperty("members").EnumerateArray()) staging.Add(member.GetProperty("userKey").GetString()!);
                    Interlocked.Add(ref receiver.MirroredMembers, root.GetProperty("members").GetArrayLength());
                    if (root.GetProperty("last").GetBoolean())
                    {
                        set.Clear();
                        set.UnionWith(staging);
                    }
                }
                return Results.Ok();
            });
        });
        receiver = new ListReceiver(app) { Url = baseUrl };
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
