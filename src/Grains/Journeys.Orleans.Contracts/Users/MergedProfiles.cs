using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>Calls to a user that follow an anonymous profile to the identified user it was merged into.</summary>
public static class MergedProfiles
{
    /// <summary>
    /// Calls the user grain of <paramref name="userKey"/>; a merged anonymous profile answers where the call belongs
    /// (<see cref="UserMergedException"/>), and it is sent there. Once is enough: identified users are never merged away.
    /// </summary>
    public static async Task<T> CallFollowingMergeAsync<T>(
        this IGrainFactory grains, string spaceId, string userKey, Func<IUserGrain, Task<T>> call)
    {
        try
        {
            return await call(grains.Get<IUserGrain>(GrainKeys.User(spaceId, userKey)));
        }
        catch (UserMergedException merged)
        {
            return await call(grains.Get<IUserGrain>(GrainKeys.User(spaceId, merged.IntoUserKey)));
        }
    }

    /// <inheritdoc cref="CallFollowingMergeAsync{T}"/>
    public static Task CallFollowingMergeAsync(this IGrainFactory grains, string spaceId, string userKey, Func<IUserGrain, Task> call) =>
        grains.CallFollowingMergeAsync(spaceId, userKey, async user =>
        {
            await call(user);
            return true;
        });
}
