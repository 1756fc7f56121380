namespace Journeys.Orleans.Interfaces;

/// <summary>
/// Remembers every step key ever issued with one prefix (<c>j_o_journey__step</c>) so that none is issued twice,
/// even after its step is deleted. Keyed by <c>stepkeys/</c> + prefix.
/// </summary>
[Alias("journeys.IStepKeyRegistryGrain")]
public interface IStepKeyRegistryGrain : IGrainWithStringKey
{
    /// <summary>Reserves <paramref name="key"/>; false when it was issued before.</summary>
    [Alias("TryReserve")]
    Task<bool> TryReserveAsync(string key);
}
