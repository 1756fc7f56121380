namespace Journeys.Orleans.Domain;

/// <summary>The keys issued with one prefix; a key once issued is never issued again.</summary>
public sealed class StepKeyRegistry(ISet<string> issued)
{
    /// <summary>How many times a colliding suffix is redrawn before giving up.</summary>
    public const int MaxAttempts = 64;

    /// <summary>Reserves <paramref name="key"/>; false when it was issued before.</summary>
    public bool TryReserve(string key) => issued.Add(key);

    /// <summary>Draws keys until one was never issued, and reserves it.</summary>
    public string Issue(string journeyName, string stepName) =>
        IssueAsync(journeyName, stepName, key => Task.FromResult(TryReserve(key))).GetAwaiter().GetResult();

    /// <summary>Draws keys until <paramref name="tryReserve"/> (wherever the issued keys are kept) accepts one.</summary>
    public static async Task<string> IssueAsync(string journeyName, string stepName, Func<string, Task<bool>> tryReserve)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var key = StepKeyGenerator.Generate(journeyName, stepName);
            if (await tryReserve(key)) return key;
        }
        throw new InvalidOperationException($"No unused step key after {MaxAttempts} attempts for \"{journeyName}\" / \"{stepName}\".");
    }
}
