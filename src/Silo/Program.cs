using Journeys.Orleans.Client;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Silo;
using Orleans.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

var runDemo = args.Contains("--demo");
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());

var siloOptions = builder.Configuration.GetSection(SiloHostOptions.SectionName).Get<SiloHostOptions>() ?? new SiloHostOptions();
var problems = siloOptions.Problems();
if (problems.Count > 0)
{
    Console.Error.WriteLine("The silo's settings are invalid:\n  " + string.Join("\n  ", problems));
    return 2;
}

builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(siloOptions.SiloPort, siloOptions.GatewayPort, serviceId: siloOptions.ServiceId, clusterId: siloOptions.ClusterId);
    silo.Configure<ClusterOptions>(o => { o.ClusterId = siloOptions.ClusterId; o.ServiceId = siloOptions.ServiceId; });
    silo.UseJourneysInMemoryStorage();
    silo.AddJourneys(builder.Configuration);
    silo.AddDashboard();
});
builder.Services.AddSingleton<IJourneysClient>(services => new JourneysClient(services.GetRequiredService<IGrainFactory>()));
if (runDemo) builder.Services.AddDemo();

var app = builder.Build();
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.MapGet("/", () => Results.Redirect("/dashboard/"));
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
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
