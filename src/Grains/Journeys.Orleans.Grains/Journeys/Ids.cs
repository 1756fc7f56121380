using System.Security.Cryptography;

namespace Journeys.Orleans.Domain;

/// <summary>New ids such as <c>jny_4k2m...</c>: a kind prefix (never hex-only) and 16 random characters.</summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new id with <paramref name="prefix"/> (<c>jny</c>, <c>stp</c>, <c>dst</c>).</summary>
    public static string New(string prefix) => prefix + "_" + RandomNumberGenerator.GetString(Alphabet, 16);
}
