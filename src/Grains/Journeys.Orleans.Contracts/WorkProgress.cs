namespace Journeys.Orleans.Model;

/// <summary>The long pieces of work that report their progress.</summary>
public enum WorkKind
{
    /// <summary>A journey's backfill at publish: every user of the space is checked against the entry condition.</summary>
    Backfill = 0,

    /// <summary>After a journey is archived: every user still inside is woken so that they leave.</summary>
    ArchiveSweep = 1,

    /// <summary>A list sync sending the whole list of a step's members to the remote list.</summary>
    ListMirror = 2,

    /// <summary>A destination connected to a send step later: every member of the step is told of it.</summary>
    ConnectBackfill = 3,
}

/// <summary>
/// Where a long piece of work stands: <see cref="Done"/> of <see cref="Total"/> (users, or members), counted once when
/// it started; the rate so far and the end it gives. Finished work keeps its last figures and <see cref="FinishedAt"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.WorkProgress")]
public sealed record WorkProgress
{
    [Id(0)] public WorkKind Kind { get; init; }

    /// <summary>Users (or members) the work has been through.</summary>
    [Id(1)] public long Done { get; init; }

    /// <summary>
    /// Users (or members) the work will go through, counted when it started; never below <see cref="Done"/>, since users
    /// who arrive while it runs are gone through too.
    /// </summary>
    [Id(2)] public long Total { get; init; }

    [Id(3)] public DateTimeOffset StartedAt { get; init; }

    /// <summary>Users (or members) per second since the start; null until there is something to measure.</summary>
    [Id(4)] public double? RatePerSecond { get; init; }

    /// <summary>When the work should end at that rate; when it ended, once finished.</summary>
    [Id(5)] public DateTimeOffset? EstimatedEnd { get; init; }

    /// <summary>Null while the work runs.</summary>
    [Id(6)] public DateTimeOffset? FinishedAt { get; init; }

    public bool Running => FinishedAt is null;
}

/// <summary>The figures of a <see cref="WorkProgress"/>: pure arithmetic on what the work counted, at a given moment.</summary>
public static class ProgressMeter
{
    /// <summary>
    /// The rate is the average since the start rather than over the last pages: a walk's pages cost about the same,
    /// and an average does not jump about from one poll to the next. Time a silo was down counts too (the work was
    /// not done then either), so after a restart the estimate is pessimistic until the walk catches up.
    /// </summary>
    public static WorkProgress Measure(
        WorkKind kind, long done, long total, DateTimeOffset startedAt, DateTimeOffset? finishedAt, DateTimeOffset now)
    {
        done = Math.Max(0, done);
        // Users who arrived while it ran raise the total; a finished walk did all there was, however many left meanwhile.
        total = finishedAt is null ? Math.Max(total, done) : done;
        var end = finishedAt ?? now;
        var seconds = (end - startedAt).TotalSeconds;
        double? rate = seconds > 0 && done > 0 ? done / seconds : null;
        DateTimeOffset? estimatedEnd = finishedAt ?? (done == total ? now : rate is { } perSecond ? After(now, (total - done) / perSecond) : null);
        return new WorkProgress
        {
            Kind = kind, Done = done, Total = total, StartedAt = startedAt, RatePerSecond = rate, EstimatedEnd = estimatedEnd, FinishedAt = finishedAt,
        };
    }

    /// <summary>A rate so slow that its end is past the calendar gives no estimate rather than an overflow.</summary>
    private static DateTimeOffset? After(DateTimeOffset now, double seconds) =>
        seconds < (DateTimeOffset.MaxValue - now).TotalSeconds ? now.AddSeconds(seconds) : null;
}
