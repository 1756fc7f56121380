using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Grains;

[GrainType("stepkeys")]
public sealed class StepKeyRegistryGrain(
    [PersistentState("stepKeys", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<StepKeysState> state)
    : Grain, IStepKeyRegistryGrain
{
    public async Task<bool> TryReserveAsync(string key)
    {
        if (!new StepKeyRegistry(state.State.Issued).TryReserve(key)) return false;
        await state.WriteStateAsync();
        return true;
    }
}
