using System.CommandLine;
using System.Text.Json.Nodes;
using Journeys.Orleans.Cli;

var url = new Option<string>("--url")
{
    Description = "The silo's base URL (JOURNEYS_URL)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("JOURNEYS_URL") ?? "http://127.0.0.1:5080",
    Recursive = true,
};
var token = new Option<string?>("--token")
{
    Description = "The management API's admin token (JOURNEYS_ADMIN_TOKEN)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("JOURNEYS_ADMIN_TOKEN"),
    Recursive = true,
};

var root = new RootCommand("journeys: apply journey definitions, publish them, list steps and keys, show members, delivery status and the progress of long work, replay dead letters.");
root.Options.Add(url);
root.Options.Add(token);

var file = new Argument<FileInfo>("file")
{
    Description = "A journey document as `export` writes it ({\"journey\": …, \"steps\": [{\"step\": …, \"connections\": […]}]}), "
        + "or the short form: name, entryCondition, exitCondition, allowReEntry, steps (each with its connections)",
};
var space = new Option<string>("--space") { Description = "The space", DefaultValueFactory = _ => "spa_default" };
var publish = new Option<bool>("--publish") { Description = "Publish the journey once it is created" };
var apply = new Command("apply", "Create a journey from a definition file, with its steps and connections (all or nothing)") { file, space, publish };
apply.SetAction((result, _) => RunAsync(result, async api =>
{
    var definition = JsonNode.Parse(await File.ReadAllTextAsync(result.GetValue(file)!.FullName))!.AsObject();
    var spaceId = definition["spaceId"]?.GetValue<string>() ?? result.GetValue(space)!;
    var journey = await api.SendAsync(HttpMethod.Post, $"/api/spaces/{spaceId}/journeys/import", JourneyFiles.ToDocument(definition));
    var journeyId = journey!["id"]!.GetValue<string>();
    Console.WriteLine($"journey {journeyId} {journey["name"]}");
    foreach (var step in journey["steps"]!.AsArray())
        Console.WriteLine($"step {step!["id"]} {step["key"]}");
    if (result.GetValue(publish)) await api.SendAsync(HttpMethod.Post, $"/api/journeys/{journeyId}/publish");
}));
root.Subcommands.Add(apply);

var journeyId = new Argument<string>("journeyId");
var exportCommand = new Command("export", "Write a journey's definition as a document that apply takes back unchanged") { journeyId };
exportCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    var document = await api.SendAsync(HttpMethod.Get, $"/api/journeys/{result.GetValue(journeyId)}/export");
    Console.WriteLine(document!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}));
root.Subcommands.Add(exportCommand);

var publishCommand = new Command("publish", "Publish a journey") { journeyId };
publishCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    var journey = await api.SendAsync(HttpMethod.Post, $"/api/journeys/{result.GetValue(journeyId)}/publish");
    Console.WriteLine($"journey {journey!["id"]} {journey["status"]}");
}));
root.Subcommands.Add(publishCommand);

var stepsCommand = new Command("steps", "List a journey's steps and their keys") { journeyId };
stepsCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    var journey = await api.SendAsync(HttpMethod.Get, $"/api/journeys/{result.GetValue(journeyId)}");
    foreach (var step in journey!["steps"]!.AsArray())
        Console.WriteLine($"{step!["id"]}\t{step["kind"]}\t{step["key"]}\t{step["name"]}");
}));
root.Subcommands.Add(stepsCommand);

var watch = new Option<bool>("--watch")
{
    Description = "Keep showing the progress until the work has finished: a bar on a terminal, a line every 5 s otherwise",
};
var progressCommand = new Command("progress", "Show how far a journey's backfill or archive sweep is: done / total, rate, started, estimated end")
    { journeyId, watch };
progressCommand.SetAction((result, _) => RunAsync(result, api => ShowProgressAsync(result,
    async () => (await api.SendAsync(HttpMethod.Get, $"/api/journeys/{result.GetValue(journeyId)}/progress"))?["progress"],
    "no backfill or archive sweep has run")));
root.Subcommands.Add(progressCommand);

var destinationId = new Argument<string>("destinationId");
var stepId = new Argument<string>("stepId");
var membersCommand = new Command("members", "Show the users a list destination holds for a step") { destinationId, stepId };
membersCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    string? pageToken = null;
    do
    {
        var query = pageToken is null ? "?pageSize=1000" : $"?pageSize=1000&pageToken={Uri.EscapeDataString(pageToken)}";
        var page = await api.SendAsync(HttpMethod.Get, $"/api/destinations/{result.GetValue(destinationId)}/steps/{result.GetValue(stepId)}/members{query}");
        foreach (var member in page!["members"]!.AsArray())
            Console.WriteLine(member!["userId"]?.GetValue<string>() ?? member["anonymousId"]?.GetValue<string>());
        pageToken = page["nextPageToken"]?.GetValue<string>();
    } while (pageToken is not null);
}));
root.Subcommands.Add(membersCommand);

var userIdOption = new Option<string?>("--user-id") { Description = "The user's id" };
var anonymousIdOption = new Option<string?>("--anonymous-id") { Description = "An anonymous id of the user (one merged into them finds them too)" };
var userCommand = new Command("user", "Show a user's profile, found by user id or any anonymous id: merged ids, journeys (one line per entry), memberships")
    { userIdOption, anonymousIdOption, space };
userCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    var spaceId = Uri.EscapeDataString(result.GetValue(space)!);
    var path = result.GetValue(userIdOption) is { } id
        ? $"/api/spaces/{spaceId}/users/{Uri.EscapeDataString(id)}"
        : $"/api/spaces/{spaceId}/anonymous-users/{Uri.EscapeDataString(result.GetValue(anonymousIdOption) ?? throw new ArgumentException("--user-id or --anonymous-id is required"))}";
    var user = await api.SendAsync(HttpMethod.Get, path);
    Console.WriteLine($"user {user!["userKey"]} userId={user["userId"]} anonymousId={user["anonymousId"]}");
    foreach (var merged in user["mergedAnonymousIds"]!.AsArray()) Console.WriteLine($"merged {merged}");
    foreach (var refused in user["refusedMerges"]!.AsArray()) Console.WriteLine($"refused {refused!["anonymousId"]} belongs to {refused["ownerUserKey"]}");
    foreach (var journey in user["journeys"]!.AsArray())
        Console.WriteLine($"journey {journey!["journeyId"]} at {journey["stepId"]}{(journey["exited"]!.GetValue<bool>() ? " exited" : "")}" +
            (journey["entryValue"] is { } value ? $" entry {value}" : ""));
    foreach (var membership in user["memberships"]!.AsArray()) Console.WriteLine($"member {membership!["stepId"]} {membership["stepKey"]}");
}));
root.Subcommands.Add(userCommand);

var listSyncCommand = new Command("list-sync", "Show where a step's remote list sync stands, and how far its mirror is")
    { destinationId, stepId, watch };
listSyncCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    var path = $"/api/destinations/{result.GetValue(destinationId)}/steps/{result.GetValue(stepId)}/list-sync";
    var status = await api.SendAsync(HttpMethod.Get, path);
    foreach (var name in new[] { "externalListId", "syncedThrough", "changesPushed", "mirrors", "lastSyncAt", "lastError" })
        Console.WriteLine($"{name}\t{status![name]}");
    await ShowProgressAsync(result, async () => (await api.SendAsync(HttpMethod.Get, path))?["mirror"], "no mirror yet");
}));
root.Subcommands.Add(listSyncCommand);

var connectBackfillCommand = new Command("connect-backfill",
    "Show how far the members of a send step are being told of a destination connected later") { stepId, destinationId, watch };
connectBackfillCommand.SetAction((result, _) => RunAsync(result, api => ShowProgressAsync(result,
    async () => (await api.SendAsync(HttpMethod.Get, $"/api/steps/{result.GetValue(stepId)}/connections/{result.GetValue(destinationId)}/backfill"))?["progress"],
    "no connect backfill has run")));
root.Subcommands.Add(connectBackfillCommand);

var deliveryCommand = new Command("delivery", "Show a destination's delivery status") { destinationId };
deliveryCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    var stats = await api.SendAsync(HttpMethod.Get, $"/api/destinations/{result.GetValue(destinationId)}/delivery");
    foreach (var name in new[] { "received", "delivered", "pending", "pendingRetry", "failed", "skipped", "retries" })
        Console.WriteLine($"{name}\t{stats![name]}");
    foreach (var failure in stats!["lastFailures"]!.AsArray())
        Console.WriteLine($"failure\t{failure!["messageId"]}\t{failure["reason"]}");
}));
root.Subcommands.Add(deliveryCommand);

var messageIds = new Argument<string[]>("messageIds") { Description = "The dead letters to replay; all when none are given", Arity = ArgumentArity.ZeroOrMore };
var replayCommand = new Command("replay", "Send a destination's dead letters again; those a later message superseded are dropped") { destinationId, messageIds };
replayCommand.SetAction((result, _) => RunAsync(result, async api =>
{
    var ids = result.GetValue(messageIds) is { Length: > 0 } chosen ? new JsonArray(chosen.Select(id => (JsonNode?)id).ToArray()) : null;
    var answer = await api.SendAsync(HttpMethod.Post, $"/api/destinations/{result.GetValue(destinationId)}/replay", new JsonObject { ["messageIds"] = ids });
    Console.WriteLine($"replayed\t{answer!["replayed"]}");
    Console.WriteLine($"skipped\t{answer["skipped"]}");
}));
root.Subcommands.Add(replayCommand);

return await root.Parse(args).InvokeAsync();

// Without --watch one line; with it, until the work has finished (a redrawn bar only when a person is watching).
async Task ShowProgressAsync(ParseResult result, Func<Task<JsonNode?>> read, string none)
{
    if (result.GetValue(watch))
    {
        await new ProgressDisplay(Console.Out, terminal: !Console.IsOutputRedirected).WatchAsync(read, none);
        return;
    }
    Console.WriteLine(await read() is { } progress ? ProgressDisplay.Line(progress) : none);
}

async Task<int> RunAsync(ParseResult result, Func<ManagementApi, Task> action)
{
    using var api = new ManagementApi(result.GetValue(url)!, result.GetValue(token));
    try
    {
        await action(api);
        return 0;
    }
    catch (Exception ex) when (ex is ApiException or HttpRequestException or IOException or System.Text.Json.JsonException or ArgumentException)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return 1;
    }
}
