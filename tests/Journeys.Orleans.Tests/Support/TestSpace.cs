using System.Security.Cryptography;

namespace Journeys.Orleans.Tests.Support;

/// <summary>A fresh space per test, so the journeys of one test never move the users of another.</summary>
public static class TestSpace
{
    public static string New() => "spa_t" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
}
