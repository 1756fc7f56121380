using Journeys.Orleans.Silo.Security;
using Journeys.Orleans.Telemetry;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Diagnostics;

namespace Journeys.Orleans.Silo.Telemetry;

/// <summary>
/// OpenTelemetry in the silo: Orleans' meter, ASP.NET Core, HttpClient, Npgsql, the .NET runtime and the project's own
/// instruments (<see cref="JourneysMetrics"/>), scraped by Prometheus and, when an OTLP endpoint is set, exported there
/// with the traces. One trace runs from <c>POST /v1/batch</c> through the grain calls (Orleans' activity propagation)
/// to the POST to a receiver, whose <c>traceparent</c> header continues it (<see cref="JourneysActivities"/>).
/// </summary>
public static class JourneysTelemetry
{
    public const string ServiceName = "journeys-orleans";

    public static WebApplicationBuilder AddJourneysTelemetry(this WebApplicationBuilder builder, TelemetryOptions options)
    {
        var otlpEndpoint = FirstSet(options.OtlpEndpoint, builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(JourneysMetrics.MeterName, "Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (!string.IsNullOrEmpty(options.PrometheusPath)) metrics.AddPrometheusExporter();
            })
            .WithTracing(tracing => tracing
                .AddSource(JourneysActivities.SourceName, ActivitySources.ApplicationGrainActivitySourceName)
                // The probes' and the scraper's requests would be most of the traces and say nothing.
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsQuiet(context.Request.Path, options))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                // A trace left unsampled does not cross grain calls (Orleans propagates recorded spans only), so the
                // receivers' traceparent would start afresh: every trace is sampled unless the operator says otherwise.
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio))));
        if (otlpEndpoint is not null)
        {
            var protocol = FirstSet(options.OtlpProtocol, builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"]) == "http/protobuf"
                ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf
                : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
            telemetry.UseOtlpExporter(protocol, new Uri(otlpEndpoint));
        }
        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, behind the admin sign-in like every operator surface.</summary>
    public static IEndpointRouteBuilder MapJourneysMetrics(this IEndpointRouteBuilder endpoints, TelemetryOptions options)
    {
        if (!string.IsNullOrEmpty(options.PrometheusPath))
            endpoints.MapPrometheusScrapingEndpoint(options.PrometheusPath).RequireAuthorization(AdminAuthentication.Policy);
        return endpoints;
    }

    private static bool IsQuiet(PathString path, TelemetryOptions options) =>
        path.StartsWithSegments("/health") || (!string.IsNullOrEmpty(options.PrometheusPath) && path.StartsWithSegments(options.PrometheusPath));

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
