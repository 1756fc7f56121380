using System.Text.Json.Serialization.Metadata;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Management;

/// <summary>Settings of the management API (configuration section <c>Management</c>).</summary>
public sealed class ManagementOptions
{
    public const string SectionName = "Management";

    /// <summary>The bearer token every management call must carry. The API refuses all calls while it is not set.</summary>
    public string? AdminToken { get; set; }

    /// <summary>How long a sign-in to the pages and the dashboard lasts (a fixed lifetime, not renewed by use).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>
/// The management API: JSON over HTTP under <c>/api</c>, protected by the admin sign-in
/// (<see cref="Security.AdminAuthentication"/>: <c>Authorization: Bearer …</c>).
/// Every error is a problem-details body; bad input names the field and the reason in <c>field</c> and <c>detail</c>.
/// </summary>
public static class ManagementEndpoints
{
    public static IServiceCollection AddManagementApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.SectionName))
            .Validate(o => o.SessionLifetime > TimeSpan.Zero, "Management:SessionLifetime must be above 0.").ValidateOnStart();
        services.AddProblemDetails();
        // Binding errors (bad JSON, a query value that is not a number) become problem details naming the field,
        // which needs them thrown to the exception handler rather than answered as an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BindingProblems>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(ConnectionSettingsDefaults.Modify)
                .WithAddedModifier(ConnectorRequired.Modify)
                .WithAddedModifier(StorableTextRules.Modify);
        });
        services.AddOpenApi();
        return services;
    }

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json");
        var api = endpoints.MapGroup("/api").RequireAuthorization(Security.AdminAuthentication.Policy)
            .AddEndpointFilter(Problems.FilterAsync).WithTags("management");

        api.MapGet("/spaces/{spaceId}/write-keys", (string spaceId, IJourneysClient j) => j.ListWriteKeysAsync(spaceId));
        api.MapPost("/spaces/{spaceId}/write-keys", async (string spaceId, IJourneysClient j) =>
            Results.Created($"/api/spaces/{spaceId}/write-keys", await j.CreateWriteKeyAsync(spaceId)));
        api.MapDelete("/spaces/{spaceId}/write-keys/{writeKey}", async (string spaceId, string writeKey, IJourneysClient j) =>
        {
            await j.RevokeWriteKeyAsync(writeKey, spaceId);
            return Results.NoContent();
        });

        api.MapGet("/spaces/{spaceId}/destinations", (string spaceId, IJourneysClient j) => j.ListDestinationsAsync(spaceId));
        api.MapPost("/spaces/{spaceId}/destinations", async (string spaceId, DestinationDefinition definition, IJourneysClient j) =>
        {
            var created = await j.CreateDestinationAsync(definition, spaceId);
            return Results.Created($"/api/destinations/{created.Id}", created);
        });
        api.MapGet("/destinations/{destinationId}", (string destinationId, IJourneysClient j) => j.GetDestinationAsync(destinationId));
        api.MapPost("/destinations/{destinationId}/pause", (string destinationId, IJourneysClient j) => j.PauseDestinationAsync(destinationId));
        api.MapPost("/destinations/{destinationId}/resume", (string destinationId, IJourneysClient j) => j.ResumeDestinationAsync(destinationId));
        api.MapGet("/destinations/{destinationId}/delivery", (string destinationId, IJourneysClient j) => j.GetDeliveryStatsAsync(destinationId));
        api.MapGet("/destinations/{destinationId}/dead-letters", (string destinationId, int? limit, IJourneysClient j) =>
            j.GetDeadLettersAsync(destinationId, limit ?? 100));
        api.MapPost("/destinations/{destinationId}/replay", (string destinationId, ReplayRequest? request, IJourneysClient j) =>
            j.ReplayAsync(destinationId, request?.MessageIds));
        api.MapGet("/destinations/{destinationId}/steps/{stepId}/members", (string destinationId, string stepId, string? pageToken, int? pageSize, IJourneysClient j) =>
            j.GetMembersAsync(destinationId, stepId, pageToken, pageSize ?? 100));
        api.MapGet("/destinations/{destinationId}/steps/{stepId}/members/count", async (string destinationId, string stepId, IJourneysClient j) =>
            new { count = await j.CountMembersAsync(destinationId, stepId) });
        api.MapPost("/destinations/{destinationId}/steps/{stepId}/resync", async (string destinationId, string stepId, IJourneysClient j) =>
        {
            await j.ResyncListAsync(destinationId, stepId);
            return await j.GetListSyncAsync(destinationId, stepId);
        });

        api.MapGet("/spaces/{spaceId}/journeys", (string spaceId, IJourneysClient j) => j.ListJourneysAsync(spaceId));
        api.MapPost("/spaces/{spaceId}/journeys", async (string spaceId, JourneyDefinition definition, IJourneysClient j) =>
        {
            var created = await j.CreateJourneyAsync(definition, spaceId);
            return Results.Created($"/api/journeys/{created.Id}", created);
        });
        api.MapGet("/journeys/{journeyId}", (string journeyId, IJourneysClient j) => j.GetJourneyAsync(journeyId));
        api.MapPost("/journeys/{journeyId}/steps", async (string journeyId, StepDefinition definition, IJourneysClient j) =>
        {
            var created = await j.AddStepAsync(journeyId, definition);
            return Results.Created($"/api/steps/{created.Id}", created);
        });
        api.MapPost("/journeys/{journeyId}/publish", (string journeyId, IJourneysClient j) => j.PublishAsync(journeyId));
        api.MapPost("/journeys/{journeyId}/pause", (string journeyId, IJourneysClient j) => j.PauseJourneyAsync(journeyId));
        api.MapPost("/journeys/{journeyId}/resume", (string journeyId, IJourneysClient j) => j.ResumeJourneyAsync(journeyId));
        api.MapPost("/journeys/{journeyId}/archive", (string journeyId, IJourneysClient j) => j.ArchiveJourneyAsync(journeyId));
        api.MapPost("/spaces/{spaceId}/journeys/import", async (string spaceId, JourneyDocument document, IJourneysClient j) =>
        {
            var created = await j.ImportJourneyAsync(document, spaceId);
            return Results.Created($"/api/journeys/{created.Id}", created);
        });
        api.MapPost("/spaces/{spaceId}/journeys/validate", async (string spaceId, JourneyDocument document, IJourneysClient j) =>
        {
            await j.ValidateJourneyAsync(document, spaceId);
            return new { valid = true };
        });
        api.MapGet("/journeys/{journeyId}/export", (string journeyId, IJourneysClient j) => j.ExportJourneyAsync(journeyId));
        api.MapPut("/journeys/{journeyId}/steps", (string journeyId, IReadOnlyList<StepDocument> steps, IJourneysClient j) =>
            j.ReplaceStepsAsync(journeyId, steps));
        api.MapPost("/journeys/{journeyId}/versions", async (string journeyId, IJourneysClient j) =>
        {
            var created = await j.CreateVersionAsync(journeyId);
            return Results.Created($"/api/journeys/{created.Id}", created);
        });
        api.MapPost("/journeys/{journeyId}/clone", async (string journeyId, CloneRequest? request, IJourneysClient j) =>
        {
            var created = await j.CloneJourneyAsync(journeyId, request?.Name);
            return Results.Created($"/api/journeys/{created.Id}", created);
        });
        api.MapGet("/journeys/{journeyId}/steps/counts", (string journeyId, IJourneysClient j) => j.GetStepCountsAsync(journeyId));
        api.MapGet("/journeys/{journeyId}/steps/{stepId}/members", (string journeyId, string stepId, string? pageToken, int? pageSize, IJourneysClient j) =>
            j.GetStepMembersAsync(journeyId, stepId, pageToken, pageSize ?? 100));
        api.MapGet("/steps/{stepId}", (string stepId, IJourneysClient j) => j.GetStepAsync(stepId));
        api.MapPatch("/steps/{stepId}", (string stepId, RenameRequest request, IJourneysClient j) => j.RenameStepAsync(stepId, request.Name ?? ""));
        api.MapPost("/steps/{stepId}/connections", (string stepId, ConnectRequest request, IJourneysClient j) =>
            j.ConnectAsync(stepId, request.DestinationId ?? "", request.Settings));

        api.MapGet("/spaces/{spaceId}/users/{userId}", (string spaceId, string userId, IJourneysClient j) => j.GetUserAsync(userId, spaceId: spaceId));
        api.MapGet("/spaces/{spaceId}/anonymous-users/{anonymousId}", (string spaceId, string anonymousId, IJourneysClient j) =>
            j.GetUserAsync(null, anonymousId, spaceId));
        return endpoints;
    }
}

/// <summary>Which dead letters to replay; all when no message ids are given.</summary>
public sealed record ReplayRequest(IReadOnlyList<string>? MessageIds);

/// <summary>The name of a clone; "Copy of …" when none is given.</summary>
public sealed record CloneRequest(string? Name);

/// <summary>A step's new name.</summary>
public sealed record RenameRequest(string? Name);

/// <summary>A destination to connect to a send step, with the connection's settings.</summary>
public sealed record ConnectRequest(string? DestinationId, ConnectionSettings? Settings);
