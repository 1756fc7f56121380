using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// The recording connector's store: keeps the payloads an event destination was sent, in memory, for tests,
/// demos and inspection. Keyed by <c>recording/{destinationId}</c>.
/// </summary>
[Alias("journeys.IRecordingGrain")]
public interface IRecordingGrain : IGrainWithStringKey
{
    /// <summary>Keeps the payloads.</summary>
    [Alias("Record")]
    Task RecordAsync(IReadOnlyList<string> payloads);

    /// <summary>Everything kept so far, oldest first.</summary>
    [Alias("GetAll")]
    Task<IReadOnlyList<RecordedMessage>> GetAllAsync();
}
