using System.Diagnostics;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>The <c>journeys</c> command line tool against the real silo process's management API.</summary>
public sealed class CliTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    private static string CliDll => Path.Combine(
        Path.GetDirectoryName(SiloProcess.SiloDll)!.Replace(Path.Combine("src", "Silo"), Path.Combine("src", "Cli")), "journeys.dll");

    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["JOURNEYS_URL"] = fixture.Silo.Url;
        start.Environment["JOURNEYS_ADMIN_TOKEN"] = IngestionFixture.AdminToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    [Fact]
    public async Task An_event_triggered_journey_applied_from_a_file_and_a_merged_visitor_found_by_the_user_command()
    {
        var spaceId = TestSpace.New();
        var file = Path.Combine(Path.GetTempPath(), $"journey-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "spaceId": "{{spaceId}}",
              "name": "Cli Orders",
              "entryCondition": { "kind": "PerformedEvent", "eventName": "Order Completed" },
              "entryIdentifier": "order_id",
              "exitAfter": "7.00:00:00",
              "steps": [ { "name": "Thanks", "kind": "SendToDestinations", "sendJourneyContext": true } ]
            }
            """);

        var applied = await RunAsync("apply", file, "--publish");
        var journeyId = applied.Output.Split('\n')[0].Split(' ')[1];
        foreach (var order in new[] { "c-1", "c-2" })
            await fixture.Journeys.TrackAsync(new TrackEvent
                { SpaceId = spaceId, AnonymousId = "cli-visitor", Event = "Order Completed", Properties = new Dictionary<string, string?> { ["order_id"] = order } });
        await fixture.Journeys.IdentifyAsync(new IdentifyEvent { SpaceId = spaceId, UserId = "cli-person", AnonymousId = "cli-visitor" });
        var user = await RunAsync("user", "--anonymous-id", "cli-visitor", "--space", spaceId);
        var neither = await RunAsync("user", "--space", spaceId);

        Assert.True(applied.ExitCode == 0, applied.Errors);
        Assert.True(user.ExitCode == 0, user.Errors);
        var lines = user.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("user u:cli-person userId=cli-person anonymousId=cli-visitor", lines[0]);
        Assert.Contains("merged cli-visitor", lines);
        Assert.Equal(2, lines.Count(l => l.StartsWith($"journey {journeyId} at ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.EndsWith("entry c-1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("entry c-2", StringComparison.Ordinal));
        Assert.Equal(1, neither.ExitCode);
        Assert.Contains("--user-id or --anonymous-id", neither.Errors);
    }

    [Fact]
    public async Task Apply_publish_steps_members_and_delivery()
    {
        var spaceId = TestSpace.New();
        var list = await fixture.Journeys.CreateDestinationAsync(new DestinationDefinition { Name = "Cli list", Kind = DestinationKind.List }, spaceId);
        var recorder = await fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Cli recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);
        var file = Path.Combine(Path.GetTempPath(), $"journey-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "spaceId": "{{spaceId}}",
              "name": "Cli Journey",
              "entryCondition": { "kind": "PerformedEvent", "eventName": "Signed Up" },
              "steps": [
                { "name": "Welcome", "kind": "SendToDestinations",
                  "connections": [ { "destinationId": "{{list.Id}}" }, { "destinationId": "{{recorder.Id}}", "settings": { "sendIdentify": false } } ] }
              ]
            }
            """);

        var applied = await RunAsync("apply", file);
        var journeyId = applied.Output.Split('\n')[0].Split(' ')[1];
        var published = await RunAsync("publish", journeyId);
        var steps = await RunAsync("steps", journeyId);
        var stepId = steps.Output.Split('\t')[0];
        await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = "cli_user", Event = "Signed Up" });
        await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(recorder.Id), s => s.Delivered == 1);
        var members = await RunAsync("members", list.Id, stepId);
        var delivery = await RunAsync("delivery", recorder.Id);
        var replay = await RunAsync("replay", recorder.Id);
        var wrongToken = await RunAsync("steps", journeyId, "--token", "wrong");
        var badFile = await RunAsync("apply", file + ".missing");

        Assert.True(applied.ExitCode == 0, applied.Errors);
        Assert.Matches(@"step stp_\w+ j_o_cli_journey__welcome_[a-z0-9]{6}", applied.Output);
        Assert.Contains("Published", published.Output);
        Assert.Matches(@"^stp_\w+\tSendToDestinations\tj_o_cli_journey__welcome_[a-z0-9]{6}\tWelcome", steps.Output);
        Assert.Equal("cli_user", members.Output.Trim());
        Assert.Contains("delivered\t1", delivery.Output);
        Assert.Contains("skipped\t0", delivery.Output);
        Assert.Equal("replayed\t0\nskipped\t0", replay.Output.Trim().ReplaceLineEndings("\n"));
        Assert.Equal(1, wrongToken.ExitCode);
        Assert.Contains("401", wrongToken.Errors);
        Assert.NotEqual(0, badFile.ExitCode);
    }

    [Fact]
    public async Task Export_writes_a_document_that_apply_takes_back_unchanged_and_a_bad_one_creates_nothing()
    {
        var spaceId = TestSpace.New();
        var recorder = await fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "Cli recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceId);
        var original = await fixture.Journeys.ImportJourneyAsync(new JourneyDocument
        {
            Journey = new JourneyDefinition { Name = "Cli Graph", EntryCondition = Condition.Performed("Signed Up") },
            Steps =
            [
                new StepDocument { Step = new StepDefinition { Name = "Split", Ref = "split", Kind = StepKind.RandomizedSplit,
                    Branches = [new StepBranch { Name = "A", Percent = 50, Next = "a" }, new StepBranch { Name = "B", Percent = 50, Next = "b" }] } },
                new StepDocument { Step = new StepDefinition { Name = "A", Ref = "a", Kind = StepKind.SendToDestinations, Next = StepRefs.End },
                    Connections = [new ConnectionDocument { DestinationId = recorder.Id }] },
                new StepDocument { Step = new StepDefinition { Name = "B", Ref = "b", Kind = StepKind.SendToDestinations } },
            ],
        }, spaceId);
        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.json");

        var exported = await RunAsync("export", original.Id);
        await File.WriteAllTextAsync(file, exported.Output);
        var applied = await RunAsync("apply", file, "--space", spaceId);
        var copyId = applied.Output.Split('\n')[0].Split(' ')[1];
        var reexported = await RunAsync("export", copyId);
        await File.WriteAllTextAsync(file, exported.Output.Replace("\"next\": \"end\"", "\"next\": \"split\""));
        var cyclic = await RunAsync("apply", file, "--space", spaceId);

        Assert.True(exported.ExitCode == 0, exported.Errors);
        Assert.True(applied.ExitCode == 0, applied.Errors);
        Assert.Equal(exported.Output, reexported.Output);
        Assert.Contains("\"kind\": \"RandomizedSplit\"", exported.Output);
        Assert.Equal(1, cyclic.ExitCode);
        Assert.Contains("steps[1]", cyclic.Errors);
        Assert.Equal(2, (await fixture.Journeys.ListJourneysAsync(spaceId)).Count);
    }

    [Fact]
    public async Task Progress_shows_a_backfills_done_and_total_and_watching_ends_when_it_has_finished()
    {
        var spaceId = TestSpace.New();
        foreach (var user in new[] { "cli-a", "cli-b", "cli-c" })
            await fixture.Journeys.TrackAsync(new TrackEvent { SpaceId = spaceId, UserId = user, Event = "Signed Up" });
        await UserDirectory.ListedAsync(fixture.Grains, spaceId, users: 3);
        var journey = await fixture.Journeys.ImportJourneyAsync(new JourneyDocument
        {
            Journey = new JourneyDefinition { Name = "Cli Progress", EntryCondition = Condition.Performed("Signed Up"), BackfillOnPublish = true },
            Steps = [new StepDocument { Step = new StepDefinition { Name = "Welcome", Kind = StepKind.SendToDestinations } }],
        }, spaceId);
        var draft = await RunAsync("progress", journey.Id);
        await fixture.Journeys.PublishAsync(journey.Id);

        // Output redirected, as here: plain lines, the last once the backfill has finished.
        var watched = await RunAsync("progress", journey.Id, "--watch");
        var once = await RunAsync("progress", journey.Id);
        var unknown = await RunAsync("progress", "jny_unknown", "--watch");

        Assert.Equal("no backfill or archive sweep has run", draft.Output.Trim());
        Assert.True(watched.ExitCode == 0, watched.Errors);
        var lines = watched.Output.Trim().ReplaceLineEndings("\n").Split('\n');
        Assert.Matches(@"^backfill 3/3 users \(100%\) · [\d.]+/s · started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · finished \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", lines[^1]);
        Assert.DoesNotContain('\r', watched.Output);
        Assert.Equal(lines[^1], once.Output.Trim());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("404", unknown.Errors);
    }
}
