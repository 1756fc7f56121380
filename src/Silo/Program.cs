using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Persistence.PostgreSql;
using Journeys.Orleans.Silo;
using Journeys.Orleans.Silo.Hosting;
using Journeys.Orleans.Silo.Ingestion;
using Journeys.Orleans.Silo.Management;
using Journeys.Orleans.Silo.Pages;
using Journeys.Orleans.Silo.Security;
using Journeys.Orleans.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

// Commands: (none) runs the silo; "--demo" runs it and shows the demo; "init-db" prepares the database and exits.
var runDemo = args.Contains("--demo");
var initDbOnly = args.Contains("init-db");
var builder = WebApplication.CreateBuilder(args.Where(a => a is not ("--demo" or "init-db")).ToArray());
if (runDemo && string.IsNullOrEmpty(builder.Configuration["Management:AdminToken"]))
{
    // The demo shows the pages and the API without set-up: a token for this run, printed with a sign-in link.
    builder.Configuration["Management:AdminToken"] = "demo-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

if (runDemo && !builder.Configuration.GetSection("Journeys:AllowedNetworks").GetChildren().Any())
{
    // The demo's webhook is the silo itself, on loopback: outgoing calls there are refused unless allowed.
    builder.Configuration["Journeys:AllowedNetworks:0"] = "127.0.0.0/8";
    builder.Configuration["Journeys:AllowedNetworks:1"] = "::1/128";
}

var siloOptions = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
var problems = siloOptions.Problems();
if (problems.Count > 0)
{
    Console.Error.WriteLine("The silo's settings are invalid:\n  " + string.Join("\n  ", problems));
    return 2;
}

var telemetryOptions = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
if (telemetryOptions.Problems().ToList() is { Count: > 0 } telemetryProblems)
{
    Console.Error.WriteLine("The telemetry settings are invalid:\n  " + string.Join("\n  ", telemetryProblems));
    return 2;
}

var connectionString = builder.Configuration.GetConnectionString(DatabaseStartup.ConnectionStringName);
var usePostgres = !string.IsNullOrWhiteSpace(connectionString);
var inKubernetes = KubernetesHosting.IsInPod(siloOptions);
if (inKubernetes && !usePostgres)
{
    // Without a database each silo would be a cluster of its own on loopback, and the pods' users would be split among them.
    Console.Error.WriteLine($"In Kubernetes the silo needs a database: set ConnectionStrings__{DatabaseStartup.ConnectionStringName} (from a Secret).");
    return 2;
}
if (usePostgres)
{
    using var loggers = LoggerFactory.Create(logging => logging.AddConsole());
    var failure = await DatabaseStartup.PrepareAsync(connectionString!, loggers.CreateLogger("Journeys.Database"));
    if (failure is not null)
    {
        Console.Error.WriteLine("The silo cannot start: " + failure);
        return 3;
    }
}
if (initDbOnly)
{
    if (!usePostgres)
    {
        Console.Error.WriteLine($"init-db needs a database: set ConnectionStrings:{DatabaseStartup.ConnectionStringName} (environment ConnectionStrings__{DatabaseStartup.ConnectionStringName}).");
        return 2;
    }
    Console.WriteLine($"The database is at schema version {SchemaMigrator.CodeVersion}.");
    return 0;
}

builder.UseOrleans(silo =>
{
    silo.Configure<ClusterOptions>(o => { o.ClusterId = siloOptions.ClusterId; o.ServiceId = siloOptions.ServiceId; });
    if (usePostgres)
    {
        if (inKubernetes) silo.UseJourneysKubernetesHosting(siloOptions, builder.Configuration);
        else silo.ConfigureEndpoints(siloOptions.AdvertisedHost, siloOptions.SiloPort, siloOptions.GatewayPort, listenOnAnyHostAddress: siloOptions.ListenOnAnyAddress);
        silo.UseJourneysPostgres(connectionString!);
        // After every silo died at once (kill -9, a lost host), their membership rows still say Active, and a starting
        // silo joins only once it has reached every Active silo or declared it dead — which it does only once the row
        // looks stale (no liveness update for IAmAliveTablePublishTimeout × NumMissedTableIAmAliveLimit; with Orleans'
        // defaults a cold restart served after ~100 s). A liveness update every 2 s (one row update per silo) makes a
        // dead row stale after 6 s, and a 2 s probe (adaptive between 1 and 8 s) notices the silence sooner.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedTableIAmAliveLimit = 3;
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
        });
    }
    else
    {
        silo.UseLocalhostClustering(siloOptions.SiloPort, siloOptions.GatewayPort, serviceId: siloOptions.ServiceId, clusterId: siloOptions.ClusterId);
        silo.UseJourneysInMemoryStorage();
    }
    silo.AddJourneys(builder.Configuration);
    // Grain calls carry the caller's trace context, so one trace runs from an HTTP request to the receiver's POST.
    silo.AddActivityPropagation();
    // The host's shutdown timeout cancels the silo's stop, but a deactivation still waiting (for a delivery in flight)
    // holds the process until its own time limit: the same limit keeps the whole stop within Silo:ShutdownTimeout.
    silo.Configure<GrainCollectionOptions>(o => o.DeactivationTimeout = siloOptions.ShutdownTimeout);
    // The trace streams the live log, user keys included: off unless asked for or in development.
    silo.AddDashboard(o => o.HideTrace = builder.Configuration.GetValue("Dashboard:HideTrace", !builder.Environment.IsDevelopment()));
});
// A stop lets destination partitions finish their requests in flight (EventDeliveryGrain.OnDeactivateAsync) within this.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = siloOptions.ShutdownTimeout);
builder.Services.AddSingleton<IJourneysClient>(services => new JourneysClient(services.GetRequiredService<IGrainFactory>()));
builder.Services.AddSegmentIngestion(builder.Configuration);
builder.Services.AddManagementApi(builder.Configuration);
// Segment clients may gzip (or deflate / brotli) their bodies; the endpoints read the decompressed body with their limits.
builder.Services.AddRequestDecompression();
builder.Services.AddJourneysHealthChecks(usePostgres ? connectionString : null);
builder.Services.AddAdminAuthentication();
// The pages are Razor components rendered on the server as whole responses (RazorComponentResult): no interactivity.
builder.Services.AddRazorComponents();
builder.AddJourneysTelemetry(telemetryOptions);
if (runDemo) builder.Services.AddDemo();

var app = builder.Build();
app.UseExceptionHandler();
app.UseSecurityHeaders();
app.UseRequestDecompression();
app.UseAuthentication();
app.UseAuthorization();
app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(AdminAuthentication.Policy);
app.MapGet("/", () => Results.Redirect("/dashboard/"));
app.MapSegmentIngestion();
app.MapAdminSignIn();
var pages = app.MapGroup("/journeys").RequireAuthorization(AdminAuthentication.Policy).AddEndpointFilter(Problems.FilterAsync);
pages.MapPageAssets();
pages.MapPipelinePage();
pages.MapJourneysPage();
pages.MapJourneyPage();
pages.MapUserPage();
app.MapManagementApi();
app.MapJourneysHealth(usePostgres ? "postgresql" : "in-memory");
app.MapJourneysMetrics(telemetryOptions);
if (runDemo) app.MapDemo();

try
{
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine("The settings are invalid:\n  " + string.Join("\n  ", ex.Failures));
    return 2;
}
