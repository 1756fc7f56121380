using Journeys.Orleans.Hosting;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Journeys.Orleans.Catalog;

/// <summary>
/// Reads journeys' and steps' stored states inside the silo, as <see cref="Delivery.StoredDestinations"/> does for
/// destinations. Configuration flows one way (step → journey → space → silos); a grain further along that needs what
/// an earlier one stored (a list sync its step's key, a space saved before it kept snapshots its journeys) reads it
/// here instead of calling back into a grain that may be waiting on it.
/// </summary>
public sealed class StoredDefinitions(IServiceProvider services)
{
    private IGrainStorage Storage => services.GetRequiredKeyedService<IGrainStorage>(JourneysSiloBuilderExtensions.StorageName);

    /// <summary>The step's stored state, or null when it was never created.</summary>
    public async Task<StepState?> ReadStepAsync(string stepId)
    {
        var read = new GrainState<StepState>(new StepState());
        await Storage.ReadStateAsync("step", GrainId.Create("step", stepId), read);
        return read.State is { Created: true } step ? step : null;
    }

    /// <summary>The journey's stored state, or null when it was never created.</summary>
    public async Task<JourneyState?> ReadJourneyAsync(string journeyId)
    {
        var read = new GrainState<JourneyState>(new JourneyState());
        await Storage.ReadStateAsync("journey", GrainId.Create("journey", journeyId), read);
        return read.State is { Created: true } journey ? journey : null;
    }

    /// <summary>The journey as its grain would describe it, steps included; null when it was never created.</summary>
    public async Task<JourneyInfo?> ReadJourneyInfoAsync(string journeyId)
    {
        if (await ReadJourneyAsync(journeyId) is not { } journey) return null;
        var steps = new List<StepInfo>(journey.StepIds.Count);
        foreach (var stepId in journey.StepIds)
            if (await ReadStepAsync(stepId) is { } step) steps.Add(step.ToInfo(stepId));
        return journey.ToInfo(journeyId, steps);
    }
}
