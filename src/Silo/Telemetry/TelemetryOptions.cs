namespace Journeys.Orleans.Silo.Telemetry;

/// <summary>The <c>Telemetry</c> section: where metrics and traces go.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The OTLP collector metrics and traces are exported to (for example <c>http://127.0.0.1:4317</c>); when empty,
    /// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is used, and when that is empty too nothing is exported.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// How to reach the collector: <c>grpc</c> (port 4317 by convention) or <c>http/protobuf</c> (4318, the signal's path
    /// added to the endpoint); when empty, the standard <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else <c>grpc</c>.
    /// </summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>
    /// The share of traces started here that are recorded (and exported, when an OTLP endpoint is set); a trace its
    /// caller sampled is always recorded. Only a recorded trace crosses grain calls, so only its payloads' requests
    /// carry its id in <c>traceparent</c>; the others start a trace of their own.
    /// </summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>The Prometheus scrape path, behind the admin sign-in (the admin token as a bearer token); empty: none.</summary>
    public string PrometheusPath { get; set; } = "/metrics";

    public IEnumerable<string> Problems()
    {
        if (TraceSampleRatio is < 0 or > 1 || double.IsNaN(TraceSampleRatio))
            yield return $"{SectionName}:TraceSampleRatio must be between 0 and 1 (got {TraceSampleRatio}).";
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
            yield return $"{SectionName}:OtlpEndpoint must be an absolute URL.";
        if (!string.IsNullOrWhiteSpace(OtlpProtocol) && OtlpProtocol is not ("grpc" or "http/protobuf"))
            yield return $"{SectionName}:OtlpProtocol must be grpc or http/protobuf (got {OtlpProtocol}).";
        if (!string.IsNullOrEmpty(PrometheusPath) && !PrometheusPath.StartsWith('/'))
            yield return $"{SectionName}:PrometheusPath must start with / (got {PrometheusPath}).";
    }
}
