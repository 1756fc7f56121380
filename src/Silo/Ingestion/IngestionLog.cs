namespace Journeys.Orleans.Silo.Ingestion;

/// <summary>
/// The tracking API's log lines, source-generated: they sit on the ingestion path, where a storage outage logs once per
/// refused call, so they must not box their arguments or parse their template each time.
/// </summary>
internal static partial class IngestionLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Ingestion refused {Path}: storage is unavailable")]
    public static partial void StorageUnavailable(this ILogger logger, Exception exception, string? path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Ingestion failed on {Path}")]
    public static partial void CallFailed(this ILogger logger, Exception exception, string? path);
}
