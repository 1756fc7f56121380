using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Journeys.Orleans.Bench;

/// <summary>
/// How long the dashboard pages take with a large space: a silo process on a fresh PostgreSQL database, 10 published
/// journeys (send, wait, send) sending to a webhook in the bench, a few thousand real users driven through
/// <c>/v1/batch</c>, then <paramref name="seededUsers"/> more users written straight into the space's index (the user
/// directory, and all of them in the first journey's steps), as a large install's tables would hold them. Each page is
/// then loaded several times through HTTP, as a signed-in operator would.
/// </summary>
internal static class PagesBench
{
    private const int Journeys = 10;
    private const int RealUsers = 2_000;
    private const int Loads = 5;

    public static async Task RunAsync(string adminConnectionString, string siloDll, int seededUsers)
    {
        var database = await PostgresBaseline.CreateDatabaseAsync(adminConnectionString, "pages_");
        await using var receiver = await WebhookReceiver.StartAsync();
        var adminToken = "bench-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        await using var silo = await TwoSiloBench.StartAsync(siloDll, new Dictionary<string, string>
        {
            ["ConnectionStrings__Journeys"] = database,
            ["Management__AdminToken"] = adminToken,
            ["Silo__ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Logging__LogLevel__Default"] = "Warning",
            ["Journeys__AllowedNetworks__0"] = "127.0.0.0/8",
        });
        using var http = new HttpClient();
        var api = new ManagementApi(http, silo.Url, adminToken);
        const string spaceId = "spa_pages";

        var destinationId = await api.PostForIdAsync($"/api/spaces/{spaceId}/destinations", new { name = "Pages Webhook", kind = "Event", connector = "Webhook", webhookUrl = receiver.Url });
        var journeys = new List<(string Id, List<string> Steps)>();
        for (var j = 0; j < Journeys; j++)
        {
            var journeyId = await api.PostForIdAsync($"/api/spaces/{spaceId}/journeys", new { name = $"Journey {j + 1}", entryCondition = new { kind = "PerformedEvent", eventName = "Go" } });
            var steps = new List<string>
            {
                await api.PostForIdAsync($"/api/journeys/{journeyId}/steps", new { name = "Entered", kind = "SendToDestinations" }),
                await api.PostForIdAsync($"/api/journeys/{journeyId}/steps", new { name = "Wait for the next order", kind = "Condition", condition = new { kind = "PerformedEvent", eventName = "Next" } }),
                await api.PostForIdAsync($"/api/journeys/{journeyId}/steps", new { name = "Ordered again", kind = "SendToDestinations" }),
            };
            await api.PostAsync($"/api/steps/{steps[0]}/connections", new { destinationId, settings = new { sendIdentify = false } });
            await api.PostAsync($"/api/steps/{steps[2]}/connections", new { destinationId, settings = new { sendIdentify = false } });
            await api.PostAsync($"/api/journeys/{journeyId}/publish", null);
            journeys.Add((journeyId, steps));
        }

        // Real users: each enters every journey (a payload each), half of them go on to its last step.
        var writeKey = await IngestionBench.CreateWriteKeyAsync(http, silo.Url, adminToken, spaceId);
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        foreach (var (eventName, users) in new[] { ("Go", RealUsers), ("Next", RealUsers / 2) })
        {
            foreach (var chunk in Enumerable.Range(0, users).Chunk(100))
            {
                var body = "{\"batch\":[" + string.Join(",", chunk.Select(i => $$"""{"type":"track","userId":"real-{{i}}","event":"{{eventName}}"}""")) + "]}";
                using var request = new HttpRequestMessage(HttpMethod.Post, silo.Url + "/v1/batch") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = auth;
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }
        var expected = RealUsers * Journeys + RealUsers / 2 * Journeys;
        // The delivery history and the user's path show real sends; the figures below do not depend on them all arriving.
        var waited = Stopwatch.StartNew();
        while (receiver.Payloads < expected && waited.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(100);
        Console.WriteLine($"pages     real users                 {RealUsers:N0} users through {Journeys} journeys, {receiver.Payloads:N0} of {expected:N0} payloads arrived");

        var seeding = Stopwatch.StartNew();
        await SeedAsync(database, spaceId, journeys[0].Steps, seededUsers);
        Console.WriteLine($"pages     space seeded               {seededUsers:N0} users in the user directory and in journey 1's steps ({seeding.Elapsed.TotalSeconds:N0} s, then VACUUM ANALYZE as autovacuum would)");

        var pages = new List<(string Name, string Path, string Shows)>
        {
            ("journeys", $"/journeys/?spaceId={spaceId}", "Journey 10"),
            ("journey 1 (1M users), 24h", $"/journeys/journey?journeyId={journeys[0].Id}", "Ordered again"),
            ("journey 1 (1M users), 1h", $"/journeys/journey?journeyId={journeys[0].Id}&window=1h", "Ordered again"),
            ("journey 2", $"/journeys/journey?journeyId={journeys[1].Id}", "Ordered again"),
            ("step members, first page", $"/journeys/step?journeyId={journeys[0].Id}&stepId={journeys[0].Steps[0]}", "u:real-"),
            ("pipelines, 1h", $"/journeys/pipelines?spaceId={spaceId}", "Pages Webhook"),
            ("pipelines, 24h", $"/journeys/pipelines?spaceId={spaceId}&window=24h", "Pages Webhook"),
            ("user", $"/journeys/users?spaceId={spaceId}&userKey=u:real-1", "delivered"),
        };
        var slowest = 0.0;
        foreach (var (name, path, shows) in pages)
        {
            using (var warm = await api.GetAsync(path)) warm.EnsureSuccessStatusCode();
            var times = new List<double>();
            for (var i = 0; i < Loads; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                using var response = await api.GetAsync(path);
                var html = await response.Content.ReadAsStringAsync();
                times.Add(stopwatch.Elapsed.TotalMilliseconds);
                // A page that answered with something else (a sign-in form, an error) must not pass for a fast page.
                if (!response.IsSuccessStatusCode || !html.Contains(shows, StringComparison.Ordinal))
                    throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}, without \"{shows}\"");
            }
            times.Sort();
            slowest = Math.Max(slowest, times[^1]);
            Console.WriteLine($"page      {name,-28} p50 {times[Loads / 2],8:N0} ms   max {times[^1],8:N0} ms");
        }
        Console.WriteLine($"pages     slowest load               {slowest,12:N0} ms  (the aim: under 1,000 ms)");
    }

    /// <summary>Users as the space's index keeps them: one directory row each, and a place in one of <paramref name="steps"/>.</summary>
    private static async Task SeedAsync(string database, string spaceId, IReadOnlyList<string> steps, int users)
    {
        await using var data = NpgsqlDataSource.Create(database);
        await using (var seed = data.CreateCommand(
            """
            INSERT INTO journeys_space_index (service_id, space_id, step_id, user_key, user_id, anonymous_id, epoch, since)
            SELECT 'journeys', $1, s.step, 'u:seeded-' || i, 'seeded-' || i, NULL, 1, now()
            FROM generate_series(1, $2) AS i
            CROSS JOIN LATERAL (VALUES ($3::text), (($4::text[])[1 + i % array_length($4, 1)])) AS s(step)
            """))
        {
            seed.CommandTimeout = 600;
            seed.Parameters.Add(new NpgsqlParameter { Value = spaceId });
            seed.Parameters.Add(new NpgsqlParameter { Value = users });
            seed.Parameters.Add(new NpgsqlParameter { Value = GrainKeys.UserDirectoryStep });
            seed.Parameters.Add(new NpgsqlParameter { Value = steps.ToArray() });
            await seed.ExecuteNonQueryAsync();
        }
        await using var vacuum = data.CreateCommand("VACUUM ANALYZE journeys_space_index");
        vacuum.CommandTimeout = 600;
        await vacuum.ExecuteNonQueryAsync();
    }
}
