using Journeys.Orleans.Model;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Users;

/// <summary>
/// The user grain's log lines, source-generated: the transition line is written for every step a user moves through,
/// so when it is off it must cost neither boxing nor parsing its template.
/// </summary>
internal static partial class UserLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{UserKey} {Direction} {StepKey}")]
    public static partial void Moved(this ILogger logger, string userKey, TransitionDirection direction, string stepKey);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{UserKey} could not hand {Count} transitions to destination {DestinationId}; retrying in {Delay}")]
    public static partial void HandOffFailed(this ILogger logger, Exception exception, string userKey, int count, string destinationId, TimeSpan delay);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{UserKey} could not hand {Count} changes to the space's index; retrying in {Delay}")]
    public static partial void IndexHandOffFailed(this ILogger logger, Exception exception, string userKey, int count, TimeSpan delay);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{UserKey} could not record its delivered outbox on deactivation: {Error}")]
    public static partial void FlushFailed(this ILogger logger, string userKey, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{UserKey} absorbed the anonymous profile {AnonymousKey}")]
    public static partial void Merged(this ILogger logger, string userKey, string anonymousKey);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{UserKey} was refused the anonymous profile {AnonymousKey}: it belongs to {OwnerUserKey}")]
    public static partial void MergeRefused(this ILogger logger, string userKey, string anonymousKey, string ownerUserKey);
}
