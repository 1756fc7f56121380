namespace Journeys.Orleans.Model;

/// <summary>How a destination hears about transitions.</summary>
public enum DestinationKind
{
    /// <summary>Receives a <c>track</c> and/or <c>identify</c> call for every transition.</summary>
    Event = 0,

    /// <summary>Keeps the list of users currently in each connected step.</summary>
    List = 1,
}

/// <summary>Where an event destination's calls go.</summary>
public enum ConnectorKind
{
    /// <summary>Kept in the cluster, readable through the client: for tests, demos and inspection.</summary>
    Recording = 0,

    /// <summary>An HTTP POST of each payload (or of batches, as a JSON array), as JSON, to the destination's URL.</summary>
    Webhook = 1,

    /// <summary>Segment's HTTP tracking API: POST <c>/v1/batch</c> with a write key, so one collector can feed another.</summary>
    Segment = 2,
}

/// <summary>What a caller gives to create a destination.</summary>
[GenerateSerializer, Immutable, Alias("journeys.DestinationDefinition")]
public sealed record DestinationDefinition
{
    /// <summary>The name, shown in payloads' <c>integrations</c> block. 1 to 100 characters.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>Event or list destination.</summary>
    [Id(1)] public DestinationKind Kind { get; init; }

    /// <summary>
    /// For event destinations: where calls go. Name it: its zero value is <see cref="ConnectorKind.Recording"/> (kept for
    /// the stored shape), and the management API refuses an event destination whose JSON leaves it out.
    /// </summary>
    [Id(2)] public ConnectorKind Connector { get; init; }

    /// <summary>For <see cref="ConnectorKind.Webhook"/>: an absolute http or https URL.</summary>
    [Id(3)] public string? WebhookUrl { get; init; }

    /// <summary>For <see cref="ConnectorKind.Webhook"/>: headers sent with every request. Write-only: never returned.</summary>
    [Id(4)] public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// For <see cref="ConnectorKind.Webhook"/>: when set (16 to 256 characters), every request carries
    /// <c>X-Journeys-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>. Write-only: never returned.
    /// </summary>
    [Id(5)] public string? SigningSecret { get; init; }

    /// <summary>How long a payload that gets no answer (or a retryable one) is retried; 4 hours when not set.</summary>
    [Id(6)] public TimeSpan? MaxRetryDuration { get; init; }

    /// <summary>
    /// Payloads per request (1 to 500). Webhook: above 1, requests carry a JSON array. Segment: the size of each
    /// <c>/v1/batch</c> (100 when 1 or not set).
    /// </summary>
    [Id(7)] public int BatchSize { get; init; } = 1;

    /// <summary>For <see cref="ConnectorKind.Segment"/>: the collector's base URL, for example <c>https://api.segment.io</c>.</summary>
    [Id(8)] public string? SegmentHost { get; init; }

    /// <summary>For <see cref="ConnectorKind.Segment"/>: the collector's write key. Write-only: never returned.</summary>
    [Id(9)] public string? SegmentWriteKey { get; init; }

    /// <summary>
    /// For list destinations: the base URL of an HTTP list endpoint (see the README's list sync contract). When set,
    /// each connected step's members are pushed there as additions and removals. Needs PostgreSQL.
    /// </summary>
    [Id(10)] public string? ListSyncUrl { get; init; }

    /// <summary>For list sync: how often changes are pushed (5 seconds when not set).</summary>
    [Id(11)] public TimeSpan? ListSyncInterval { get; init; }

    /// <summary>For list sync: the most changes (or mirrored members) per request (1 to 50,000; 10,000 by default).</summary>
    [Id(12)] public int ListSyncBatchSize { get; init; } = 10_000;
}

/// <summary>A destination as it can be shown: header values are never returned.</summary>
[GenerateSerializer, Immutable, Alias("journeys.DestinationInfo")]
public sealed record DestinationInfo
{
    [Id(0)] public string Id { get; init; } = "";
    [Id(1)] public string SpaceId { get; init; } = "";
    [Id(2)] public string Name { get; init; } = "";
    [Id(3)] public DestinationKind Kind { get; init; }
    [Id(4)] public ConnectorKind Connector { get; init; }
    [Id(5)] public string? WebhookUrl { get; init; }

    /// <summary>The names of the configured headers (their values are secret).</summary>
    [Id(6)] public IReadOnlyList<string> HeaderNames { get; init; } = [];

    /// <summary>How many partition grains share this destination's work.</summary>
    [Id(7)] public int Partitions { get; init; }

    /// <summary>True when requests are signed (the secret itself is never returned).</summary>
    [Id(8)] public bool Signed { get; init; }

    /// <summary>True while sending is paused: payloads are kept and sent on resume.</summary>
    [Id(9)] public bool Paused { get; init; }

    /// <summary>How long a payload is retried before it is dead-lettered.</summary>
    [Id(10)] public TimeSpan MaxRetryDuration { get; init; }

    /// <summary>Payloads per request.</summary>
    [Id(11)] public int BatchSize { get; init; }

    /// <summary>For the Segment connector: the collector's base URL.</summary>
    [Id(12)] public string? SegmentHost { get; init; }

    /// <summary>For list destinations: where the members are pushed, if anywhere.</summary>
    [Id(13)] public string? ListSyncUrl { get; init; }
}

/// <summary>Per-connection settings: what a send step sends to one event destination.</summary>
[GenerateSerializer, Immutable, Alias("journeys.ConnectionSettings")]
public sealed record ConnectionSettings
{
    /// <summary>Send a <c>track</c> call on each transition.</summary>
    [Id(0)] public bool SendTrack { get; init; } = true;

    /// <summary>Send an <c>identify</c> call on each transition.</summary>
    [Id(1)] public bool SendIdentify { get; init; } = true;

    /// <summary>The track event name on entering.</summary>
    [Id(2)] public string EnteredEventName { get; init; } = "Audience Entered";

    /// <summary>The track event name on leaving.</summary>
    [Id(3)] public string ExitedEventName { get; init; } = "Audience Exited";

    /// <summary>Send JSON booleans instead of the strings "true" / "false".</summary>
    [Id(4)] public bool BooleanValues { get; init; }

    /// <summary>
    /// The identifiers each payload carries, in order: <c>userId</c> and <c>anonymousId</c> (each when the user has
    /// it), and trait names such as <c>email</c> or <c>phone</c>, placed where Segment puts them
    /// (<c>context.traits</c> of a track call, <c>traits</c> of an identify call; a trait the user lacks is left out).
    /// Null or empty: <see cref="DefaultIdentifiers"/>. A payload always carries at least one of userId and anonymousId.
    /// </summary>
    [Id(5)] public IReadOnlyList<string>? Identifiers { get; init; }

    /// <summary>Email and phone identifiers go normalised and SHA-256-hashed, as advertising audience APIs want them.</summary>
    [Id(6)] public bool HashIdentifiers { get; init; }

    /// <summary>userId and anonymousId: what every connection sent before identifiers could be chosen.</summary>
    public static IReadOnlyList<string> DefaultIdentifiers { get; } = ["userId", "anonymousId"];

    /// <summary>The identifiers in effect.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> IdentifiersInEffect => Identifiers is { Count: > 0 } chosen ? chosen : DefaultIdentifiers;

    /// <summary>The defaults: track and identify, seed event names, string values, userId and anonymousId.</summary>
    public static ConnectionSettings Default { get; } = new();

    public bool Equals(ConnectionSettings? other) =>
        other is not null && SendTrack == other.SendTrack && SendIdentify == other.SendIdentify
        && EnteredEventName == other.EnteredEventName && ExitedEventName == other.ExitedEventName
        && BooleanValues == other.BooleanValues && HashIdentifiers == other.HashIdentifiers
        && ValueLists.Same(IdentifiersInEffect, other.IdentifiersInEffect);

    public override int GetHashCode() =>
        HashCode.Combine(SendTrack, SendIdentify, EnteredEventName, ExitedEventName, BooleanValues, HashIdentifiers, IdentifiersInEffect.Count);
}

/// <summary>A send step's connection to one destination, as the engine needs it.</summary>
[GenerateSerializer, Immutable, Alias("journeys.ConnectionInfo")]
public sealed record ConnectionInfo
{
    [Id(0)] public string DestinationId { get; init; } = "";
    [Id(1)] public string DestinationName { get; init; } = "";
    [Id(2)] public DestinationKind DestinationKind { get; init; }
    [Id(3)] public int DestinationPartitions { get; init; }
    [Id(4)] public ConnectionSettings Settings { get; init; } = ConnectionSettings.Default;

    /// <summary>
    /// True for a list that pushes its members nowhere (no list sync URL): its member changes need no log for a remote
    /// list. False (the default, also for connections stored before it existed) logs them.
    /// </summary>
    [Id(5)] public bool ChangesUnsynced { get; init; }

    /// <summary>For a list destination: the step id its members are kept under (<see cref="StepInfo.ListStepId"/>); null: the step's own.</summary>
    [Id(6)] public string? ListStepId { get; init; }

    /// <summary>A send step's connection to <paramref name="destination"/> with <paramref name="settings"/>.</summary>
    public static ConnectionInfo To(DestinationInfo destination, ConnectionSettings settings) => new()
    {
        DestinationId = destination.Id,
        DestinationName = destination.Name,
        DestinationKind = destination.Kind,
        DestinationPartitions = destination.Partitions,
        Settings = settings,
        ChangesUnsynced = destination.Kind == DestinationKind.List && destination.ListSyncUrl is null,
    };
}

/// <summary>Delivery counters of one destination.</summary>
[GenerateSerializer, Immutable, Alias("journeys.DeliveryStats")]
public sealed record DeliveryStats
{
    /// <summary>
    /// Messages handed to the destination: delivered + failed + pending + skipped, so it is never below
    /// <see cref="Delivered"/>, also after a restart.
    /// </summary>
    [Id(0)] public long Received { get; init; }

    /// <summary>Messages the receiver accepted.</summary>
    [Id(1)] public long Delivered { get; init; }

    /// <summary>Messages kept as failed (dead letters): refused for good, or retried for too long.</summary>
    [Id(2)] public long Failed { get; init; }

    /// <summary>Messages waiting to be sent, retries included.</summary>
    [Id(3)] public long Pending { get; init; }

    /// <summary>The most recent failures (refusals, and attempts that got no answer), newest last.</summary>
    [Id(4)] public IReadOnlyList<DeliveryFailure> LastFailures { get; init; } = [];

    /// <summary>Attempts that got no answer or a retryable one (408, 423, 429, 5xx but 501), to be sent again.</summary>
    [Id(5)] public long Retries { get; init; }

    /// <summary>Messages waiting for a retry.</summary>
    [Id(6)] public long PendingRetry { get; init; }

    /// <summary>
    /// Dead letters not sent on replay because a later message superseded them: sending them would have told the
    /// receiver the opposite of the user's current membership.
    /// </summary>
    [Id(7)] public long Skipped { get; init; }
}

/// <summary>What a replay of dead letters did.</summary>
/// <param name="Replayed">Dead letters sent again.</param>
/// <param name="Skipped">Dead letters dropped instead, because a later message superseded them (see <see cref="DeliveryStats.Skipped"/>).</param>
[GenerateSerializer, Immutable, Alias("journeys.ReplayResult")]
public sealed record ReplayResult(
    [property: Id(0)] int Replayed,
    [property: Id(1)] int Skipped)
{
    public static ReplayResult None { get; } = new(0, 0);

    public static ReplayResult operator +(ReplayResult a, ReplayResult b) => new(a.Replayed + b.Replayed, a.Skipped + b.Skipped);
}

/// <summary>One failed delivery.</summary>
[GenerateSerializer, Immutable, Alias("journeys.DeliveryFailure")]
public sealed record DeliveryFailure(
    [property: Id(0)] string MessageId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Reason);

/// <summary>A payload kept by the recording connector.</summary>
[GenerateSerializer, Immutable, Alias("journeys.RecordedMessage")]
public sealed record RecordedMessage(
    [property: Id(0)] string DestinationId,
    [property: Id(1)] string Json,
    [property: Id(2)] DateTimeOffset RecordedAt);

/// <summary>
/// One user in a list destination's step list, with the identifiers its connection asks for (traits such as email,
/// hashed when asked; see <see cref="ConnectionSettings.Identifiers"/>), as they were when last changed.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.ListMember")]
public sealed record ListMember(
    [property: Id(0)] string UserKey,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string? AnonymousId,
    [property: Id(3)] DateTimeOffset Since,
    [property: Id(4)] IReadOnlyDictionary<string, string>? Identifiers = null);

/// <summary>A page of a list destination's members.</summary>
[GenerateSerializer, Immutable, Alias("journeys.MemberPage")]
public sealed record MemberPage(
    [property: Id(0)] IReadOnlyList<ListMember> Members,
    [property: Id(1)] string? NextPageToken);

/// <summary>A write key of a space: calls to the HTTP tracking API authenticate with it as the basic auth user name.</summary>
[GenerateSerializer, Immutable, Alias("journeys.WriteKeyInfo")]
public sealed record WriteKeyInfo(
    [property: Id(0)] string Key,
    [property: Id(1)] string SpaceId,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>A payload the receiver refused for good (or that was retried for too long), kept until it is replayed.</summary>
[GenerateSerializer, Immutable, Alias("journeys.DeadLetter")]
public sealed record DeadLetter(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string UserKey,
    [property: Id(2)] int? Status,
    [property: Id(3)] string Reason,
    [property: Id(4)] string? Response,
    [property: Id(5)] int Attempts,
    [property: Id(6)] DateTimeOffset FailedAt);

/// <summary>Where the sync of one step's members to a remote list stands.</summary>
[GenerateSerializer, Immutable, Alias("journeys.ListSyncStatus")]
public sealed record ListSyncStatus
{
    /// <summary>The remote list's id, once created.</summary>
    [Id(0)] public string? ExternalListId { get; init; }

    /// <summary>The last change (sequence number) the remote list has.</summary>
    [Id(1)] public long SyncedThrough { get; init; }

    /// <summary>Changes pushed so far by this activation.</summary>
    [Id(2)] public long ChangesPushed { get; init; }

    /// <summary>Full mirror resyncs done so far by this activation.</summary>
    [Id(3)] public int Mirrors { get; init; }

    [Id(4)] public DateTimeOffset? LastSyncAt { get; init; }

    [Id(5)] public string? LastError { get; init; }

    /// <summary>The mirror running, or the last one of this activation: members sent of those the step had when it began.</summary>
    [Id(6)] public WorkProgress? Mirror { get; init; }
}
