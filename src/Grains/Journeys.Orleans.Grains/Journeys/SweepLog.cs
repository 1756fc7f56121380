using Journeys.Orleans.Model;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Grains;

/// <summary>The backfill and archive sweep's log lines, source-generated as the user grain's are.</summary>
internal static partial class SweepLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Journey {JourneyId} {Kind} will visit {Total} users")]
    public static partial void Counted(this ILogger logger, string journeyId, WorkKind kind, long total);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Journey {JourneyId} backfill entered {Users} users")]
    public static partial void Backfilled(this ILogger logger, string journeyId, long users);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Journey {JourneyId} archived; {Users} users inside were moved out")]
    public static partial void Swept(this ILogger logger, string journeyId, long users);
}
