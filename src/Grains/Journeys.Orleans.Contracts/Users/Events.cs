namespace Journeys.Orleans.Model;

/// <summary>A Segment-spec <c>track</c> call: the user performed an event.</summary>
[GenerateSerializer, Immutable, Alias("journeys.TrackEvent")]
public sealed record TrackEvent
{
    /// <summary>The space the event belongs to.</summary>
    [Id(0)] public string SpaceId { get; init; } = SpaceIds.Default;

    /// <summary>The user's id; this or <see cref="AnonymousId"/> is required.</summary>
    [Id(1)] public string? UserId { get; init; }

    /// <summary>The anonymous id; this or <see cref="UserId"/> is required.</summary>
    [Id(2)] public string? AnonymousId { get; init; }

    /// <summary>The event name, for example "Order Completed".</summary>
    [Id(3)] public string Event { get; init; } = "";

    /// <summary>Event properties, each value in its text form.</summary>
    [Id(4)] public IReadOnlyDictionary<string, string?> Properties { get; init; } = new Dictionary<string, string?>();

    /// <summary>When the event happened; the time it was received when absent.</summary>
    [Id(5)] public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The sender's message id, if any.</summary>
    [Id(6)] public string? MessageId { get; init; }
}

/// <summary>A Segment-spec <c>identify</c> call: the user's traits.</summary>
[GenerateSerializer, Immutable, Alias("journeys.IdentifyEvent")]
public sealed record IdentifyEvent
{
    /// <summary>The space the call belongs to.</summary>
    [Id(0)] public string SpaceId { get; init; } = SpaceIds.Default;

    /// <summary>The user's id; this or <see cref="AnonymousId"/> is required.</summary>
    [Id(1)] public string? UserId { get; init; }

    /// <summary>The anonymous id; this or <see cref="UserId"/> is required.</summary>
    [Id(2)] public string? AnonymousId { get; init; }

    /// <summary>Traits to set, each value in its text form (null removes the trait).</summary>
    [Id(3)] public IReadOnlyDictionary<string, string?> Traits { get; init; } = new Dictionary<string, string?>();

    /// <summary>When the call happened; the time it was received when absent.</summary>
    [Id(4)] public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The sender's message id, if any.</summary>
    [Id(5)] public string? MessageId { get; init; }
}

/// <summary>Well-known space ids.</summary>
public static class SpaceIds
{
    /// <summary>The space that exists with no set-up.</summary>
    public const string Default = "spa_default";
}
