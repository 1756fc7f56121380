using System.Security.Cryptography;
using System.Text;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Payloads;

/// <summary>
/// Which identifiers a payload carries for one connection (<see cref="ConnectionSettings.Identifiers"/>), and the
/// normalised, SHA-256-hashed form of email and phone that advertising audience APIs (Google Customer Match, Meta
/// Custom Audiences) match on. Pure.
/// </summary>
public static class PayloadIdentifiers
{
    public const string UserId = "userId";
    public const string AnonymousId = "anonymousId";
    public const string Email = "email";
    public const string Phone = "phone";

    /// <summary>The userId and anonymousId a payload carries: those chosen that the user has, else whichever the user has.</summary>
    public static (string? UserId, string? AnonymousId) Ids(ConnectionSettings settings, string? userId, string? anonymousId)
    {
        var chosen = settings.IdentifiersInEffect;
        var carried = (chosen.Contains(UserId) ? userId : null, chosen.Contains(AnonymousId) ? anonymousId : null);
        // A Segment call needs one of the two: a user without the chosen one is still named by the one it has.
        return carried is (null, null) ? (userId, userId is null ? anonymousId : null) : carried;
    }

    /// <summary>The chosen traits the user has, in the order chosen, as they are sent (hashed when the connection asks).</summary>
    public static IEnumerable<(string Name, string Value)> Traits(ConnectionSettings settings, IReadOnlyDictionary<string, string?>? traits)
    {
        if (traits is null) yield break;
        foreach (var name in settings.IdentifiersInEffect)
        {
            if (name is UserId or AnonymousId || !traits.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value)) continue;
            yield return (name, settings.HashIdentifiers && IsHashable(name) ? Hash(Normalize(name, value)) : value);
        }
    }

    /// <summary>Whether an identifier goes hashed when the connection asks for hashing.</summary>
    public static bool IsHashable(string name) => name is Email or Phone;

    /// <summary>
    /// Email: trimmed and lower-cased. Phone: E.164, a + and the digits (separators dropped, a leading 00 read as the
    /// international prefix); numbers are expected with their country code.
    /// </summary>
    public static string Normalize(string name, string value)
    {
        var trimmed = value.Trim();
        if (name == Email) return trimmed.ToLowerInvariant();
        if (name != Phone) return trimmed;
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (!trimmed.StartsWith('+') && digits.StartsWith("00", StringComparison.Ordinal)) digits = digits[2..];
        return "+" + digits;
    }

    /// <summary>SHA-256 of the UTF-8 text, lower-case hex.</summary>
    public static string Hash(string normalized) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
}
