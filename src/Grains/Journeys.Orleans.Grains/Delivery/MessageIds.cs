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
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        return "jrn_" + Convert.ToHexStringLower(hash, 0, 16);
    }
}
