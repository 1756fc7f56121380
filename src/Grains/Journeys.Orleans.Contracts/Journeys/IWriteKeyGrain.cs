namespace Journeys.Orleans.Interfaces;

/// <summary>
/// One write key: which space the calls sent with it belong to, until it is revoked. Keyed by
/// <c>writekey/</c> + the key.
/// </summary>
[Alias("journeys.IWriteKeyGrain")]
public interface IWriteKeyGrain : IGrainWithStringKey
{
    /// <summary>Called by the space that issues the key.</summary>
    [Alias("Create")]
    Task CreateAsync(string spaceId);

    /// <summary>The key's space, or null when the key was never issued or is revoked.</summary>
    [Alias("GetSpace")]
    Task<string?> GetSpaceAsync();

    /// <summary>Revokes the key: calls sent with it are refused from now on.</summary>
    [Alias("Revoke")]
    Task RevokeAsync();
}
