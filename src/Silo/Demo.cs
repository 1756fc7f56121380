using System.Collections.Concurrent;
using System.Text.Json;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Journeys.Orleans.Silo;

/// <summary>
/// <c>--demo</c>: once the silo is up, defines the seed's journey "First Purchase" with a send step "Opened Email",
/// connects a recording destination, a webhook destination (received by this very host on /demo/webhook) and a
/// list destination, sends a few events, and prints what the destinations received.
/// </summary>
internal static class Demo
{
    public static IServiceCollection AddDemo(this IServiceCollection services)
    {
        services.AddSingleton<DemoWebhookInbox>();
        services.AddHostedService<DemoRunner>();
        return services;
    }

    public static void MapDemo(this WebApplication app) =>
        app.MapPost("/demo/webhook", async (HttpRequest request, DemoWebhookInbox inbox) =>
        {
            using var reader = new StreamReader(request.Body);
            inbox.Bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok(new { success = true });
        });
}

internal sealed class DemoWebhookInbox
{
    public ConcurrentQueue<string> Bodies { get; } = new();
}

internal sealed class DemoRunner(
    IJourneysClient journeys, IServer server, IHostApplicationLifetime lifetime, DemoWebhookInbox inbox,
    Microsoft.Extensions.Options.IOptions<Management.ManagementOptions> management, ILogger<DemoRunner> logger)
    : BackgroundService
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "The demo failed");
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var baseUrl = server.Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Console.WriteLine($"\n== Journeys.Orleans demo (silo at {baseUrl}) ==\n");

        var recorder = await journeys.CreateDestinationAsync(new DestinationDefinition
            { Name = "Demo Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording });
        var webhook = await journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Demo Webhook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook,
            WebhookUrl = $"{baseUrl}/demo/webhook", Headers = new Dictionary<string, string> { ["X-Demo"] = "1" },
        });
        var list = await journeys.CreateDestinationAsync(new DestinationDefinition { Name = "Demo List", Kind = DestinationKind.List });

        var journey = await journeys.CreateJourneyAsync(new JourneyDefinition
            { Name = "First Purchase", EntryCondition = Condition.Performed("Order Completed") });
        await journeys.AddStepAsync(journey.Id, new StepDefinition
            { Name = "Wait for an email open", Kind = StepKind.Condition, Condition = Condition.Performed("Email Opened") });
        var opened = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Opened Email", Kind = StepKind.SendToDestinations });
        await journeys.AddStepAsync(journey.Id, new StepDefinition
            { Name = "Wait for a second order", Kind = StepKind.Condition, Condition = Condition.Performed("Order Completed") });
        var repeat = await journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Repeat Buyers", Kind = StepKind.SendToDestinations });

        await journeys.ConnectAsync(opened.Id, recorder.Id);
        await journeys.ConnectAsync(opened.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await journeys.ConnectAsync(opened.Id, list.Id);
        await journeys.ConnectAsync(repeat.Id, list.Id);
        await journeys.PublishAsync(journey.Id);
        Console.WriteLine($"Journey \"{journey.Name}\" published; step keys:\n  {opened.Name}: {opened.Key}\n  {repeat.Name}: {repeat.Key}\n");

        await Send("ada", "Order Completed", "Email Opened");
        await Send("bob", "Order Completed", "Email Opened", "Order Completed");
        await Send("cy", "Order Completed");

        await WaitForDeliveryAsync(recorder.Id, cancellationToken);
        await WaitForDeliveryAsync(webhook.Id, cancellationToken);

        var recorded = await journeys.GetRecordedAsync(recorder.Id);
        Console.WriteLine($"Demo Recorder received {recorded.Count} calls:");
        foreach (var message in recorded)
            Console.WriteLine(JsonSerializer.Serialize(JsonDocument.Parse(message.Json).RootElement, Indented));

        Console.WriteLine($"\nDemo Webhook received {inbox.Bodies.Count} HTTP POSTs on /demo/webhook:");
        foreach (var body in inbox.Bodies) Console.WriteLine("  " + body);

        foreach (var step in new[] { opened, repeat })
        {
            var members = await journeys.GetMembersAsync(list.Id, step.Id);
            Console.WriteLine($"\nDemo List, step \"{step.Name}\" ({step.Key}): {await journeys.CountMembersAsync(list.Id, step.Id)} members: "
                + string.Join(", ", members.Members.Select(m => m.UserId ?? m.AnonymousId)));
        }

        var journeyPage = Uri.EscapeDataString($"/journeys/journey?journeyId={journey.Id}");
        Console.WriteLine($"\nThe service keeps running (Ctrl+C to stop). Orleans dashboard: {baseUrl}/dashboard/");
        Console.WriteLine($"The journey as a graph with its member counts (this link signs you in with the admin token):\n  "
            + $"{baseUrl}/journeys/login?token={Uri.EscapeDataString(management.Value.AdminToken ?? "")}&returnUrl={journeyPage}\n");
    }

    private async Task Send(string userId, params string[] events)
    {
        foreach (var name in events)
        {
            await journeys.TrackAsync(new TrackEvent { UserId = userId, Event = name });
            Console.WriteLine($"  track {userId}: {name}");
        }
    }

    private async Task WaitForDeliveryAsync(string destinationId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var stats = await journeys.GetDeliveryStatsAsync(destinationId);
            if (stats.Pending == 0 && stats.Delivered + stats.Failed == stats.Received) return;
            await Task.Delay(100, cancellationToken);
        }
    }
}
