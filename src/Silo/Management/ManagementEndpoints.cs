using System.Text.Json.Serialization.Metadata;

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
        // Each handler is a named method whose typed results (Results<Ok<T>, BadInputProblem, NotFoundProblem>) give the
        // OpenAPI document its answers; the filter still answers a domain error thrown outside them.
        var api = endpoints.MapGroup("/api").RequireAuthorization(Security.AdminAuthentication.Policy)
            .AddEndpointFilter(Problems.FilterAsync).WithTags("management")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapDestinationsApi();
        api.MapJourneysApi();
        api.MapStepsApi();
        return endpoints;
    }
}
