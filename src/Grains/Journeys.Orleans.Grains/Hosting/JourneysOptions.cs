namespace Journeys.Orleans.Hosting;

/// <summary>Settings of the journeys grains (configuration section <c>Journeys</c>).</summary>
public sealed class JourneysOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Journeys";

    /// <summary>Partition grains per new destination: how many grains share one destination's work (1 to 256).</summary>
    public int DestinationPartitions { get; set; } = 8;

    /// <summary>
    /// Requests in flight per event destination across the cluster, shared by its partitions: users go in parallel,
    /// one user's payloads one at a time. A receiver answering in 50 ms takes up to this many ÷ 0.05 s requests per second.
    /// </summary>
    public int DeliveryInFlightLimit { get; set; } = 256;

    /// <summary>How long one webhook request may take.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait before the first retry of a payload; it doubles (with jitter) on each further retry.</summary>
    public TimeSpan RetryFirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two retries (also the most a <c>Retry-After</c> is honoured for).</summary>
    public TimeSpan RetryLongestDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a payload is retried before it is dead-lettered, unless its destination says otherwise.</summary>
    public TimeSpan RetryMaxDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often a wake-up bucket retries users it could not wake (and checks whether its minute came).</summary>
    public TimeSpan WakeCheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a wake-up bucket waits before its first check, however far its minute is.</summary>
    public TimeSpan LongestWakeWait { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Wake-up buckets per minute and space: users spread over them by a hash of their key (1 to 256).</summary>
    public int WakePartitions { get; set; } = 8;

    /// <summary>The circuit breaker per receiving host: how long it stays open after too many failures.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many recent transitions a user's timeline keeps (0 to 1000).</summary>
    public int RecentTransitionsKept { get; set; } = 50;

    /// <summary>How long a user grain waits before handing undelivered transitions to destinations again.</summary>
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often a reminder wakes a grain that holds work it could not finish: a destination partition with unsent
    /// payloads, a user whose transitions a destination could not take. After a crash or restart nothing else would
    /// bring them back. Orleans' minimum reminder period applies (1 minute by default).
    /// </summary>
    public TimeSpan ResumeReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Networks that webhooks, Segment collectors and list endpoints may be in although they are loopback, private,
    /// link-local or unique-local (refused by default: see <see cref="Connectors.OutgoingAddressPolicy"/>), as CIDRs,
    /// for example <c>127.0.0.0/8</c> and <c>::1/128</c> for receivers on the same machine in development.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>
    /// How often each silo adds the delivery and journey-flow counts it made (per minute) to the history store the
    /// pages chart (at least 0.1 s, at most 10 minutes).
    /// </summary>
    public TimeSpan HistoryFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the per-minute delivery and journey-flow history is kept (at least a day: the pages show up to one).</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(2);
}
