namespace Journeys.Orleans.Telemetry.History;

/// <summary>
/// What one event destination's receivers answered in one minute (UTC, truncated): payloads delivered, retried and
/// dead-lettered (failed), and the latency of the delivered ones as counts per <see cref="LatencyHistogram"/> bucket.
/// </summary>
public sealed record DeliveryMinute(string DestinationId, DateTimeOffset Minute, long Delivered, long Retried, long Failed, long[] Latency)
{
    public DeliveryMinute Plus(DeliveryMinute other) => this with
    {
        Delivered = Delivered + other.Delivered,
        Retried = Retried + other.Retried,
        Failed = Failed + other.Failed,
        Latency = LatencyHistogram.Sum((long[])Latency.Clone(), other.Latency),
    };
}

/// <summary>
/// How many times one thing happened in a journey in one minute: <see cref="Counter"/> is one of
/// <see cref="FlowCounters"/>' names (users entering the journey, entering or leaving a step, taking a branch, exiting).
/// </summary>
public sealed record FlowMinute(string JourneyId, DateTimeOffset Minute, string Counter, long Count);

/// <summary>What a silo counted since its last flush.</summary>
public sealed record HistoryBatch(IReadOnlyList<DeliveryMinute> Deliveries, IReadOnlyList<FlowMinute> Flow)
{
    public bool IsEmpty => Deliveries.Count == 0 && Flow.Count == 0;
}

/// <summary>Why a user left a journey.</summary>
public enum JourneyExitReason
{
    /// <summary>They performed the journey's exit event.</summary>
    ExitEvent,

    /// <summary>The journey's exit time since they entered passed.</summary>
    ExitTime,

    /// <summary>The journey was archived.</summary>
    Archived,

    /// <summary>Every path they were on ended.</summary>
    Finished,
}

/// <summary>What a <see cref="FlowMove"/> counts.</summary>
public enum FlowKind
{
    Entered,
    StepEntered,
    StepExited,
    Branch,
    Exited,
}

/// <summary>
/// One thing a user did in a journey that its flow counts: entered it, entered or left a step, took a split's branch
/// (<see cref="Detail"/> is the branch's index), or exited it (<see cref="Detail"/> is the <see cref="JourneyExitReason"/>).
/// A value, so that recording one allocates nothing; its counter's name is made when the counts are flushed.
/// </summary>
public readonly record struct FlowMove(string JourneyId, FlowKind Kind, DateTimeOffset At, string? StepId = null, int Detail = 0)
{
    public static FlowMove EnteredJourney(string journeyId, DateTimeOffset at) => new(journeyId, FlowKind.Entered, at);

    public static FlowMove TookBranch(string journeyId, string splitStepId, int branch, DateTimeOffset at) => new(journeyId, FlowKind.Branch, at, splitStepId, branch);

    public static FlowMove ExitedJourney(string journeyId, JourneyExitReason reason, DateTimeOffset at) => new(journeyId, FlowKind.Exited, at, null, (int)reason);

    /// <summary>The name of the counter this move adds to (see <see cref="FlowCounters"/>).</summary>
    public string Counter => Kind switch
    {
        FlowKind.Entered => FlowCounters.Entered,
        FlowKind.StepEntered => FlowCounters.StepEntered(StepId ?? ""),
        FlowKind.StepExited => FlowCounters.StepExited(StepId ?? ""),
        FlowKind.Branch => FlowCounters.Branch(StepId ?? "", Detail),
        _ => FlowCounters.Exited((JourneyExitReason)Detail),
    };
}

/// <summary>The names of a journey's flow counters.</summary>
public static class FlowCounters
{
    public const string Entered = "entered";

    public const string StepInPrefix = "step_in:";
    public const string StepOutPrefix = "step_out:";
    public const string BranchPrefix = "branch:";
    public const string ExitPrefix = "exit:";

    public static string StepEntered(string stepId) => StepInPrefix + stepId;

    public static string StepExited(string stepId) => StepOutPrefix + stepId;

    /// <summary>The <paramref name="branch"/>-th branch (from 0) of split <paramref name="stepId"/>.</summary>
    public static string Branch(string stepId, int branch) => $"{BranchPrefix}{stepId}:{branch}";

    public static string Exited(JourneyExitReason reason) => ExitPrefix + ReasonName(reason);

    /// <summary>How a reason is named in the counters and in the flow's exits (the API's keys).</summary>
    public static string ReasonName(JourneyExitReason reason) => reason switch
    {
        JourneyExitReason.ExitEvent => "exit_event",
        JourneyExitReason.ExitTime => "exit_time",
        JourneyExitReason.Archived => "archived",
        _ => "finished",
    };
}
