using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// The grains' own protocol of identity resolution, between two user grains (never called from outside the silo):
/// an identified user asks an anonymous profile for its state. One way only, identified to anonymous, so no call
/// cycle; a call that reaches a merged profile afterwards is answered with <see cref="Model.UserMergedException"/>
/// and sent on by its caller.
/// </summary>
[Alias("journeys.IProfileHandOverGrain")]
public interface IProfileHandOverGrain : IGrainWithStringKey
{
    /// <summary>
    /// Hands this anonymous profile over to <paramref name="intoUserKey"/>: from then on it belongs to that user (durably,
    /// before this returns) and leaves the member sets it was in under its own key. Asked again by the same user, it hands
    /// over the same state; asked by another, it refuses and names its owner. Without <paramref name="claim"/> it only
    /// answers for a hand-over made before (a call the merged profile sent on), and refuses otherwise.
    /// </summary>
    [Alias("HandOver")]
    Task<ProfileHandOver> HandOverAsync(string intoUserKey, bool claim);
}

/// <summary>The answer to a hand-over: the state to absorb, or the user the profile belongs to already.</summary>
// Not immutable: the state is copied on its way, so the identified user never shares the anonymous profile's objects.
[GenerateSerializer, Alias("journeys.ProfileHandOver")]
public sealed record ProfileHandOver([property: Id(0)] UserState? State, [property: Id(1)] string? OwnerUserKey)
{
    public static ProfileHandOver Of(UserState state) => new(state, null);

    public static ProfileHandOver Refused(string ownerUserKey) => new(null, ownerUserKey);
}
