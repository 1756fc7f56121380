using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Journeys.Orleans.Client;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Orleans.Bench;

/// <summary>
/// List-sync throughput: members per second from the member rows to a remote list endpoint on 127.0.0.1, beside what
/// the same endpoint accepts from a plain HttpClient loop posting the same 10,000-member change bodies.
/// </summary>
internal static class ListSyncBench
{
    public static async Task RunAsync(IJourneysClient journeys, IListMemberRows rows, int members)
    {
        await using var receiver = await Receiver.StartAsync();
        var plain = await PlainLoopAsync(receiver, members);

        var spaceId = $"spa_listsync_{Random.Shared.Next(100000)}";
        var list = await journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Bench list", Kind = DestinationKind.List, ListSyncUrl = receiver.Url, ListSyncInterval = TimeSpan.FromMilliseconds(100),
        }, spaceId);
        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition { Name = "List sync", EntryCondition = Condition.Performed("Go") }, spaceId);
        var step = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Everyone", Kind = StepKind.SendToDestinations });
        step = await journeys.ConnectAsync(step.Id, list.Id);

        var before = receiver.Members;
        var stopwatch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        // Written straight into the member rows, as the users' commits would, many at once.
        var chunks = Enumerable.Range(0, members)
            .Select(i => new Transition
            {
                SpaceId = spaceId, JourneyId = journey.Id, StepId = step.Id, StepKey = step.Key,
                UserKey = $"u:b{i}", UserId = $"b{i}", Direction = TransitionDirection.Entered, Epoch = 1, OccurredAt = now,
            })
            .Chunk(5_000);
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (chunk, _) => await rows.ApplyAsync(list.Id, chunk));
        var stored = stopwatch.Elapsed;
        while (receiver.Members - before < members && stopwatch.Elapsed < TimeSpan.FromMinutes(10)) await Task.Delay(20);
        var synced = stopwatch.Elapsed;

        Console.WriteLine();
        Console.WriteLine($"baseline  plain HttpClient loop      {plain,12:N0} members/s  (10,000-member change bodies, same endpoint)");
        Console.WriteLine($"listsync  members stored as rows     {members / stored.TotalSeconds,12:N0} members/s  ({members:N0} members, 8 writers of 5,000)");
        Console.WriteLine($"listsync  stored and synced          {members / synced.TotalSeconds,12:N0} members/s  (until the remote list had them all)");
        Console.WriteLine($"ratio     synced / plain loop        {members / synced.TotalSeconds / plain,12:P1}");
    }

    private static async Task<double> PlainLoopAsync(Receiver receiver, int members)
    {
        using var client = new HttpClient();
        var listId = JsonDocument.Parse(await (await client.PostAsync(receiver.Url + "/lists", new StringContent("{}", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync())
            .RootElement.GetProperty("id").GetString();
        var stopwatch = Stopwatch.StartNew();
        for (var start = 0; start < members; start += 10_000)
        {
            var body = JsonSerializer.Serialize(new
            {
                listId,
                add = Enumerable.Range(start, Math.Min(10_000, members - start)).Select(i => new { userKey = $"u:p{i}", userId = $"p{i}", anonymousId = (string?)null }),
                remove = Array.Empty<object>(),
            });
            using var response = await client.PostAsync($"{receiver.Url}/lists/{listId}/changes", new StringContent(body, Encoding.UTF8, "application/json"));
        }
        return members / stopwatch.Elapsed.TotalSeconds;
    }

    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private long _members;
        private int _lists;

        private Receiver(WebApplication app) => _app = app;

        public string Url { get; private init; } = "";

        public long Members => Interlocked.Read(ref _members);

        public static async Task<Receiver> StartAsync()
        {
            Receiver receiver = null!;
            var (app, baseUrl) = await LoopbackHttp.StartAsync(app =>
            {
                app.MapPost("/lists", () => Results.Json(new { id = "list-" + Interlocked.Increment(ref receiver._lists) }));
                app.MapPost("/lists/{id}/changes", async (HttpRequest request) =>
                {
                    using var body = await JsonDocument.ParseAsync(request.Body);
                    Interlocked.Add(ref receiver._members, body.RootElement.GetProperty("add").GetArrayLength());
                    return Results.Ok();
                });
                app.MapPost("/lists/{id}/mirror", () => Results.Ok());
            });
            receiver = new Receiver(app) { Url = baseUrl };
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
