using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Grains;

[GrainType("writekey")]
public sealed class WriteKeyGrain(
    [PersistentState("writeKey", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<WriteKeyState> state)
    : Grain, IWriteKeyGrain
{
    public async Task CreateAsync(string spaceId)
    {
        if (state.State.SpaceId is not null) throw new InvalidOperationException("This write key was issued already.");
        state.State = new WriteKeyState { SpaceId = spaceId };
        await state.WriteStateAsync();
    }

    public Task<string?> GetSpaceAsync() => Task.FromResult(state.State.Revoked ? null : state.State.SpaceId);

    public async Task RevokeAsync()
    {
        state.State.Revoked = true;
        await state.WriteStateAsync();
    }
}
