using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Domain;

/// <summary>
/// Deterministic message ids: the same transition, to the same destination, as the same call, always gets the
/// same id, so retries and replays can be de-duplicated downstream. A new epoch gives new ids.
/// </summary>
public static class MessageIds
{
    /// <summary>The id of <paramref name="transition"/>'s <paramref name="callType"/> call to <paramref name="destinationId"/>.</summary>
    public static string For(Transition transition, string destinationId, CallType callType)
    {
        var identity = string.Join('\n',
            transition.SpaceId,
            transition.JourneyId,
            transition.StepId,
            transition.UserKey,
            transition.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            transition.Direction.ToString(),
            destinationId,
            callType.ToString());
        // Hashed from the stack (pooled when long): one id per payload is on every event's path.
        var length = Encoding.UTF8.GetMaxByteCount(identity.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[512];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(identity, utf8)], hash);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return "jrn_" + Convert.ToHexStringLower(hash[..16]);
    }
}
