using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Journeys.Orleans.Silo;

/// <summary>
/// Liveness and readiness as ASP.NET Core health checks: <c>/health/live</c> answers while the process serves HTTP;
/// <c>/health/ready</c> (and <c>/health</c>, as before) also checks that PostgreSQL answers, so a load balancer stops
/// sending calls that could not be stored.
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddJourneysHealthChecks(this IServiceCollection services, string? connectionString)
    {
        var checks = services.AddHealthChecks();
        if (!string.IsNullOrWhiteSpace(connectionString))
            checks.Add(new HealthCheckRegistration("postgresql", _ => new PostgresReadinessCheck(connectionString),
                HealthStatus.Unhealthy, [ReadyTag], PostgresReadinessCheck.Timeout));
        return services;
    }

    public static IEndpointRouteBuilder MapJourneysHealth(this IEndpointRouteBuilder endpoints, string storage)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Writer(storage) });
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = Writer(storage) };
        endpoints.MapHealthChecks("/health/ready", ready);
        // /health keeps its address and body for existing probes, and now means ready.
        endpoints.MapHealthChecks("/health", ready);
        return endpoints;
    }

    private static Func<HttpContext, HealthReport, Task> Writer(string storage) => (context, report) =>
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status == HealthStatus.Unhealthy ? "unavailable" : "ok",
            storage,
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    };
}

/// <summary>Ready when PostgreSQL accepts a new connection and answers a query within a short time.</summary>
public sealed class PostgresReadinessCheck(string connectionString) : IHealthCheck
{
    /// <summary>How long a probe may take before the database counts as away.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // A fresh connection per probe (no pool): a pooled connection can outlive the server, and the question asked is
    // whether a new one can be made now. Only the host and credentials are taken; the secret never reaches an answer.
    private readonly string _probeConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        Timeout = 2,
        CommandTimeout = 2,
    }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_probeConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            // The answer shows only the description; the exception stays in the report for logging.
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer", ex);
        }
    }
}
