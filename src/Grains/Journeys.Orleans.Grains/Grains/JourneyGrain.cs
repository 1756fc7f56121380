using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Grains;

[GrainType("journey")]
public sealed class JourneyGrain(
    [PersistentState("journey", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<JourneyState> state,
    ILogger<JourneyGrain> logger) : Grain, IJourneyGrain
{
    private string JourneyId => this.GetPrimaryKeyString();

    public async Task<JourneyInfo> CreateAsync(string spaceId, JourneyDefinition definition)
    {
        if (state.State.Created) throw new InvalidOperationException($"Journey {JourneyId} already exists.");
        DefinitionRules.Check(definition);

        state.State = new JourneyState
        {
            Created = true,
            SpaceId = spaceId,
            Name = definition.Name,
            EntryCondition = definition.EntryCondition,
            ExitCondition = definition.ExitCondition,
            AllowReEntry = definition.AllowReEntry,
            Status = JourneyStatus.Draft,
        };
        await state.WriteStateAsync();
        return await GetAsync();
    }

    public async Task<JourneyInfo> GetAsync()
    {
        EnsureCreated();
        var steps = await Task.WhenAll(state.State.StepIds.Select(id => GrainFactory.GetGrain<IStepGrain>(id).GetAsync()));
        return new JourneyInfo
        {
            Id = JourneyId,
            SpaceId = state.State.SpaceId,
            Name = state.State.Name,
            EntryCondition = state.State.EntryCondition,
            ExitCondition = state.State.ExitCondition,
            AllowReEntry = state.State.AllowReEntry,
            Status = state.State.Status,
            Steps = steps,
        };
    }

    public async Task<StepInfo> AddStepAsync(StepDefinition definition)
    {
        EnsureCreated();
        if (state.State.Status != JourneyStatus.Draft)
            throw new JourneysValidationException("journeyId", $"steps can only be added to a draft journey; {JourneyId} is {state.State.Status}");
        DefinitionRules.Check(definition);

        var stepId = Ids.New("stp");
        var step = await GrainFactory.GetGrain<IStepGrain>(stepId)
            .CreateAsync(state.State.SpaceId, JourneyId, state.State.Name, definition);
        state.State.StepIds.Add(stepId);
        await state.WriteStateAsync();
        logger.LogInformation("Journey {JourneyId} added {StepKind} step {StepId} with key {StepKey}", JourneyId, step.Kind, stepId, step.Key);
        return step;
    }

    public async Task<JourneyInfo> PublishAsync()
    {
        EnsureCreated();
        if (state.State.StepIds.Count == 0)
            throw new JourneysValidationException("steps", "a journey needs at least one step before it can be published");

        if (state.State.Status == JourneyStatus.Draft)
        {
            state.State.Status = JourneyStatus.Published;
            await state.WriteStateAsync();
            logger.LogInformation("Journey {JourneyId} published", JourneyId);
        }
        await GrainFactory.GetGrain<ISpaceGrain>(state.State.SpaceId).RefreshCatalogAsync();
        return await GetAsync();
    }

    public async Task<JourneyInfo> PauseAsync()
    {
        EnsureCreated();
        if (state.State.Status == JourneyStatus.Draft)
            throw new JourneysValidationException("journeyId", $"only a published journey can be paused; {JourneyId} is a draft");
        return await SetStatusAsync(JourneyStatus.Paused);
    }

    public async Task<JourneyInfo> ResumeAsync()
    {
        EnsureCreated();
        if (state.State.Status == JourneyStatus.Draft)
            throw new JourneysValidationException("journeyId", $"only a paused journey can be resumed; {JourneyId} is a draft");
        return await SetStatusAsync(JourneyStatus.Published);
    }

    private async Task<JourneyInfo> SetStatusAsync(JourneyStatus status)
    {
        if (state.State.Status != status)
        {
            state.State.Status = status;
            await state.WriteStateAsync();
            logger.LogInformation("Journey {JourneyId} is now {Status}", JourneyId, status);
        }
        await GrainFactory.GetGrain<ISpaceGrain>(state.State.SpaceId).RefreshCatalogAsync();
        return await GetAsync();
    }

    private void EnsureCreated()
    {
        if (!state.State.Created) throw new JourneysNotFoundException("journey", JourneyId);
    }
}
