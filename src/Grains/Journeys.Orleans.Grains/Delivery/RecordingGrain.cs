using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Grains;

/// <summary>In-memory store of the recording connector; keeps the latest payloads, oldest dropped first.</summary>
[GrainType("recording")]
public sealed class RecordingGrain(TimeProvider clock) : Grain, IRecordingGrain
{
    private const int MaxKept = 200_000;

    private readonly List<RecordedMessage> _messages = [];

    private string? _destinationId;

    private string DestinationId => _destinationId ??= this.GetPrimaryKeyString()["recording/".Length..];

    public Task RecordAsync(IReadOnlyList<string> payloads)
    {
        var now = clock.GetUtcNow();
        var destinationId = DestinationId;
        _messages.AddRange(payloads.Select(json => new RecordedMessage(destinationId, json, now)));
        if (_messages.Count > MaxKept) _messages.RemoveRange(0, _messages.Count - MaxKept);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RecordedMessage>> GetAllAsync() => Task.FromResult<IReadOnlyList<RecordedMessage>>(_messages.ToList());
}
