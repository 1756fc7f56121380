using System.Diagnostics;
using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>
/// The pipeline page's mirror bar in headless Chromium moves on without a reload: a real silo process on PostgreSQL (a
/// remote list sync needs it), a mirror held half done at the receiver while the page loads, let go once the page's
/// script has asked for the progress; then <c>journeys list-sync</c> shows the same mirror.
/// </summary>
public sealed class ProgressBarBrowserTests
{
    private const string AdminToken = "progress-bar-admin-token";

    [Fact]
    public async Task The_pipeline_pages_mirror_bar_goes_from_half_to_full_without_a_reload()
    {
        var settings = new Dictionary<string, string>
        {
            ["Management__AdminToken"] = AdminToken,
            // The held mirror page must not time out while the browser starts.
            ["Journeys__WebhookTimeout"] = "00:02:00",
            // Each request's line tells the test when the page's script has polled.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        };
        await using var silo = SiloProcess.Start(await PostgresServer.CreateDatabaseAsync(), settings);
        Assert.True(await silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)), "the silo did not start:\n" + silo.Output);
        await using var client = await silo.ConnectClientAsync();
        await using var receiver = await ListReceiver.StartAsync();
        var journeys = client.Journeys;
        var scenario = await FirstPurchase.CreateAsync(journeys);
        var list = await journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Browser audience", Kind = DestinationKind.List, ListSyncUrl = receiver.Url,
            ListSyncInterval = TimeSpan.FromMilliseconds(200), ListSyncBatchSize = 2,
        }, scenario.SpaceId);
        var stepId = scenario.OpenedEmail.Id;
        await journeys.ConnectAsync(stepId, list.Id);
        await scenario.PublishAsync();
        foreach (var user in new[] { "b-1", "b-2", "b-3", "b-4", "b-5" }) await scenario.EnterOpenedEmailAsync(user);
        await Eventually.Until(() => journeys.GetListSyncAsync(list.Id, stepId),
            s => s.ExternalListId is { } id && receiver.Lists.ContainsKey(id) && receiver.Members(id).Count == 5, TimeSpan.FromSeconds(60));
        receiver.HoldMirror = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resync = journeys.ResyncListAsync(list.Id, stepId);
        await Eventually.Until(() => journeys.GetListSyncAsync(list.Id, stepId), s => s.Mirror is { Running: true, Done: 2 }, TimeSpan.FromSeconds(30));

        var page = $"/journeys/pipelines?spaceId={scenario.SpaceId}";
        // Virtual time: the script's 2-second polls run back to back; a budget of many polls outlasts the release below.
        var browser = HeadlessChromium.DumpScriptedDomAsync(
            $"{silo.Url}/journeys/login?token={AdminToken}&returnUrl={Uri.EscapeDataString(page)}", TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(120));
        var poll = $"/api/destinations/{list.Id}/steps/{stepId}/list-sync";
        var polled = await Eventually.Until(() => Task.FromResult(silo.Output), output => output.Contains(poll, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        receiver.HoldMirror.SetResult();
        // The resync call may have given up waiting (the client's response timeout) while the browser started; the
        // mirror goes on in the sync regardless.
        await Eventually.Until(() => journeys.GetListSyncAsync(list.Id, stepId), s => s.Mirror is { Running: false }, TimeSpan.FromSeconds(30));
        await Task.WhenAny(resync);
        var dom = Html.Parse(await browser);
        var cli = await CliAsync(silo.Url, "list-sync", list.Id, stepId, "--watch");

        Assert.Contains(poll, polled);
        var work = dom.Single($"table.list-syncs tr[data-destination='{list.Id}'][data-step='{stepId}'] div.work");
        var bar = work.Single("progress");
        Assert.Equal(("5", "5", "false"), (bar.GetAttribute("value"), bar.GetAttribute("max"), work.GetAttribute("data-running")));
        Assert.StartsWith("5 / 5 members · ", work.Single(".work-text").TextContent);
        Assert.Contains(" · finished ", work.Single(".work-text").TextContent);
        // The page itself was asked for once: the bar moved in place.
        Assert.Single(silo.Output.Split($"Request starting HTTP/1.1 GET {silo.Url}{page}").Skip(1));
        Assert.True(cli.ExitCode == 0, cli.Errors);
        Assert.Contains("externalListId\tlist-", cli.Output);
        Assert.Matches(@"(?m)^list mirror 5/5 members \(100%\) · .* · finished \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", cli.Output.ReplaceLineEndings("\n"));
    }

    /// <summary>Runs the <c>journeys</c> tool against <paramref name="url"/>, its output redirected.</summary>
    private static async Task<(int ExitCode, string Output, string Errors)> CliAsync(string url, params string[] arguments)
    {
        var cliDll = Path.Combine(Path.GetDirectoryName(SiloProcess.SiloDll)!.Replace(Path.Combine("src", "Silo"), Path.Combine("src", "Cli")), "journeys.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cliDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["JOURNEYS_URL"] = url;
        start.Environment["JOURNEYS_ADMIN_TOKEN"] = AdminToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
