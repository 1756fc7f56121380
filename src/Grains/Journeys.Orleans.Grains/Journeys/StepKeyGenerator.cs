using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Journeys.Orleans.Domain;

/// <summary>
/// Step keys as SPEC section 3 defines them: <c>j_o_</c> + slug(journey) + <c>__</c> + slug(step) + <c>_</c> +
/// 6 random characters from [a-z0-9], at most 255 characters (the slugs are cut, never the suffix).
/// </summary>
public static class StepKeyGenerator
{
    /// <summary>The longest key.</summary>
    public const int MaxKeyLength = 255;

    /// <summary>The length of the random suffix.</summary>
    public const int SuffixLength = 6;

    private const string Prefix = "j_o_";
    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    // "j_o_" + "__" + "_" + suffix
    private const int MaxSlugsLength = MaxKeyLength - 4 - 2 - 1 - SuffixLength;

    /// <summary>A new key with a random suffix. Uniqueness is the caller's: reserve it in a registry.</summary>
    public static string Generate(string journeyName, string stepName) =>
        KeyPrefix(journeyName, stepName) + "_" + RandomNumberGenerator.GetString(SuffixAlphabet, SuffixLength);

    /// <summary>Everything but the <c>_</c> and the suffix: keys with the same prefix can collide.</summary>
    public static string KeyPrefix(string journeyName, string stepName)
    {
        var (journeySlug, stepSlug) = FitSlugs(Slugify(journeyName, "journey"), Slugify(stepName, "step"));
        return Prefix + journeySlug + "__" + stepSlug;
    }

    /// <summary>
    /// Lower case, accents stripped, every run of characters outside [a-z0-9] becomes one <c>_</c>,
    /// leading and trailing <c>_</c> trimmed. <paramref name="fallback"/> when nothing is left.
    /// </summary>
    public static string Slugify(string name, string fallback = "")
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder(decomposed.Length);
        var pendingSeparator = false;
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(ch);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                if (pendingSeparator && slug.Length > 0) slug.Append('_');
                pendingSeparator = false;
                slug.Append(lower);
            }
            else
            {
                pendingSeparator = true;
            }
        }
        return slug.Length == 0 ? fallback : slug.ToString();
    }

    private static (string Journey, string Step) FitSlugs(string journeySlug, string stepSlug)
    {
        if (journeySlug.Length + stepSlug.Length <= MaxSlugsLength) return (journeySlug, stepSlug);

        // Each slug keeps at least half of the room; a short one leaves the rest to the other.
        var half = MaxSlugsLength / 2;
        var journeyRoom = Math.Max(half, MaxSlugsLength - stepSlug.Length);
        var journey = Cut(journeySlug, journeyRoom);
        var step = Cut(stepSlug, MaxSlugsLength - journey.Length);
        return (journey, step);
    }

    private static string Cut(string slug, int room) =>
        slug.Length <= room ? slug : slug[..room].TrimEnd('_');
}
