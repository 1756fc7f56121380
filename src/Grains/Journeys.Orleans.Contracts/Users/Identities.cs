namespace Journeys.Orleans.Model;

/// <summary>
/// Segment's <c>alias</c> call: the profile known by <see cref="PreviousId"/> (an anonymous id) is the user
/// <see cref="UserId"/>; the anonymous profile is merged into the identified one.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.AliasEvent")]
public sealed record AliasEvent
{
    /// <summary>The space the call belongs to.</summary>
    [Id(0)] public string SpaceId { get; init; } = SpaceIds.Default;

    /// <summary>The user the profile is.</summary>
    [Id(1)] public string UserId { get; init; } = "";

    /// <summary>The id the profile had before: its anonymous id.</summary>
    [Id(2)] public string PreviousId { get; init; } = "";

    /// <summary>The sender's message id, if any.</summary>
    [Id(3)] public string? MessageId { get; init; }
}

/// <summary>
/// The anonymous profile called was merged into another (<see cref="IntoUserKey"/>): the call belongs there. Callers
/// (the client) send it on; nothing was changed.
/// </summary>
[GenerateSerializer, Alias("journeys.UserMergedException")]
public sealed class UserMergedException : Exception
{
    /// <summary>Creates the answer of a profile merged into <paramref name="intoUserKey"/>.</summary>
    public UserMergedException(string intoUserKey)
        : base($"the profile was merged into {intoUserKey}")
    {
        IntoUserKey = intoUserKey;
    }

    /// <summary>The user key (<c>u:</c>userId) of the profile that holds this one now.</summary>
    [Id(0)] public string IntoUserKey { get; private set; }
}

/// <summary>A merge refused because the anonymous profile already belongs to another identified user.</summary>
[GenerateSerializer, Immutable, Alias("journeys.RefusedMerge")]
public sealed record RefusedMerge(
    [property: Id(0)] string AnonymousId,
    [property: Id(1)] string OwnerUserKey,
    [property: Id(2)] DateTimeOffset At);
