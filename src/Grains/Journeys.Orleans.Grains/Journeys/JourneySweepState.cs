using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>
/// A journey's backfill or archive sweep: which index "step" it walks and where it is, one page at a time, so that
/// after a restart it goes on from the last page it finished (visiting a user twice is harmless: a user grain enters
/// nobody twice, and moving a user out of an archived journey twice changes nothing).
/// </summary>
[GenerateSerializer, Alias("journeys.state.JourneySweep")]
public sealed class JourneySweepState
{
    [Id(0)] public string SpaceId { get; set; } = "";
    [Id(1)] public bool BackfillPending { get; set; }
    [Id(2)] public bool SweepPending { get; set; }

    /// <summary>The archived journey's steps, walked in order.</summary>
    [Id(3)] public List<string> SweepStepIds { get; set; } = [];

    /// <summary>The index in <see cref="SweepStepIds"/> of the step being walked.</summary>
    [Id(4)] public int SweepStep { get; set; }

    /// <summary>The next page of the index "step" being walked; null: its first page.</summary>
    [Id(5)] public string? PageToken { get; set; }

    /// <summary>How many users the backfill entered.</summary>
    [Id(6)] public long BackfilledUsers { get; set; }

    /// <summary>How many users the archive sweep woke.</summary>
    [Id(7)] public long SweptUsers { get; set; }

    /// <summary>The walk running, or the last one.</summary>
    [Id(8)] public WorkKind WalkKind { get; set; }

    /// <summary>Users the walk will visit, counted when it started (so that the figure survives restarts).</summary>
    [Id(9)] public long WalkTotal { get; set; }

    /// <summary>Users the walk has visited, entered or not.</summary>
    [Id(10)] public long WalkDone { get; set; }

    /// <summary>Null until the walk's users are counted: a walk saved before walks counted them is counted when it goes on.</summary>
    [Id(11)] public DateTimeOffset? WalkStartedAt { get; set; }

    [Id(12)] public DateTimeOffset? WalkFinishedAt { get; set; }

    public bool Pending => BackfillPending || SweepPending;

    /// <summary>A running walk whose users are not counted yet: the grain counts them before its next page.</summary>
    public bool NeedsCount => Pending && WalkStartedAt is null;

    /// <summary>The index "steps" the walk still visits, for counting its users.</summary>
    public IReadOnlyList<string> StepsToWalk =>
        BackfillPending ? [GrainKeys.UserDirectoryStep] : SweepPending ? SweepStepIds.Skip(SweepStep).ToList() : [];

    /// <summary>The index "step" to walk next, and whether it is the backfill; null when nothing is left.</summary>
    public (string StepId, bool Backfill)? Walking =>
        BackfillPending ? (GrainKeys.UserDirectoryStep, true)
        : SweepPending && SweepStep < SweepStepIds.Count ? (SweepStepIds[SweepStep], false)
        : null;

    public void StartBackfill(string spaceId)
    {
        if (BackfillPending) return;
        SpaceId = spaceId;
        BackfillPending = true;
        PageToken = null;
        WalkKind = WorkKind.Backfill;
        WalkStartedAt = null;
    }

    /// <summary>An archive stops a backfill that is still running: the journey moves nobody any more.</summary>
    public void StartSweep(string spaceId, IReadOnlyList<string> stepIds)
    {
        SpaceId = spaceId;
        BackfillPending = false;
        SweepPending = stepIds.Count > 0;
        SweepStepIds = stepIds.ToList();
        SweepStep = 0;
        PageToken = null;
        WalkKind = WorkKind.ArchiveSweep;
        WalkStartedAt = null;
    }

    /// <summary>The walk's users are counted: it starts measuring from <paramref name="now"/>.</summary>
    public void Counted(long total, DateTimeOffset now)
    {
        WalkTotal = total;
        WalkDone = 0;
        WalkStartedAt = now;
        WalkFinishedAt = null;
    }

    /// <summary>Where the walk stands; null before any walk was counted.</summary>
    public WorkProgress? Progress(DateTimeOffset now) => WalkStartedAt is { } started
        ? ProgressMeter.Measure(WalkKind, WalkDone, WalkTotal, started, WalkFinishedAt, now)
        : null;

    /// <summary>
    /// One page of the current walk is done: <paramref name="walked"/> users on it, <paramref name="visited"/> of them
    /// entered (or woken), <paramref name="nextPageToken"/> next.
    /// </summary>
    public void Advance(string? nextPageToken, long visited, long walked, DateTimeOffset now)
    {
        PageToken = nextPageToken;
        WalkDone += walked;
        if (BackfillPending)
        {
            BackfilledUsers += visited;
            BackfillPending = nextPageToken is not null;
        }
        else if (SweepPending)
        {
            SweptUsers += visited;
            if (nextPageToken is null) SweepStep++;
            SweepPending = SweepStep < SweepStepIds.Count;
        }
        if (!Pending) WalkFinishedAt = now;
    }
}
