namespace Journeys.Orleans.Model;

/// <summary>
/// A connect-backfill's progress: members visited of those the step had when it began (<see cref="Total"/>), how many
/// were told now, when it started and finished.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.ConnectBackfillStatus")]
public sealed record ConnectBackfillStatus(
    [property: Id(0)] bool Running,
    [property: Id(1)] long Visited,
    [property: Id(2)] long Total,
    [property: Id(3)] long Told,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt,
    [property: Id(6)] WorkProgress? Progress = null);
