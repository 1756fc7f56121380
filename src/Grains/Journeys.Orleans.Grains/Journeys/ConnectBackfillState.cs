namespace Journeys.Orleans.State;

/// <summary>A connect-backfill's walk: where it is, one page at a time, so that after a restart it goes on from there.</summary>
[GenerateSerializer, Alias("journeys.state.ConnectBackfill")]
public sealed class ConnectBackfillState
{
    [Id(0)] public string SpaceId { get; set; } = "";
    [Id(1)] public string JourneyId { get; set; } = "";
    [Id(2)] public bool Pending { get; set; }

    /// <summary>The next page of the step's members; null: its first page.</summary>
    [Id(3)] public string? PageToken { get; set; }
    [Id(4)] public long Visited { get; set; }
    [Id(5)] public long Total { get; set; }
    [Id(6)] public long Told { get; set; }
    [Id(7)] public DateTimeOffset? StartedAt { get; set; }
    [Id(8)] public DateTimeOffset? FinishedAt { get; set; }
}
