using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Grains;

[GrainType("step")]
public sealed class StepGrain(
    [PersistentState("step", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<StepState> state,
    ILogger<StepGrain> logger) : Grain, IStepGrain
{
    private string StepId => this.GetPrimaryKeyString();

    public async Task<StepInfo> CreateAsync(
        string spaceId, string journeyId, string journeyName, StepDefinition definition, string? keptKey = null,
        IReadOnlyList<ConnectionInfo>? connections = null, string? listStepId = null)
    {
        if (state.State.Created) throw new InvalidOperationException($"Step {StepId} already exists.");
        DefinitionRules.Check(definition);

        state.State = new StepState
        {
            Created = true,
            SpaceId = spaceId,
            JourneyId = journeyId,
            Key = keptKey ?? await IssueKeyAsync(journeyName, definition.Name),
            Definition = definition with { Ref = definition.Ref ?? "", Branches = definition.Branches.ToList() },
            Connections = connections?.ToList() ?? [],
            ListStepId = listStepId,
        };
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<StepInfo> ReplaceConnectionsAsync(IReadOnlyList<ConnectionInfo> connections)
    {
        EnsureCreated();
        state.State.Connections = connections.ToList();
        await state.WriteStateAsync();
        return Info();
    }

    public Task<StepInfo> GetAsync()
    {
        EnsureCreated();
        return Task.FromResult(Info());
    }

    public async Task<StepInfo> RenameAsync(string name)
    {
        EnsureCreated();
        DefinitionRules.CheckStepName(name);
        state.State.Definition = state.State.Current with { Name = name };
        await state.WriteStateAsync();
        await GrainFactory.Get<ISpaceGrain>(state.State.SpaceId).UpdateStepAsync(Info());
        return Info();
    }

    public async Task<StepInfo> ConnectAsync(string destinationId, ConnectionSettings settings)
    {
        EnsureCreated();
        if (state.State.Current.Kind != StepKind.SendToDestinations)
            throw new JourneysValidationException("stepId", $"only a send to destinations step connects to destinations; {StepId} is a {state.State.Current.Kind} step");
        if (string.IsNullOrWhiteSpace(destinationId))
            throw new JourneysValidationException("destinationId", "is required");
        DefinitionRules.Check(settings);

        var space = GrainFactory.Get<ISpaceGrain>(state.State.SpaceId);
        if (!await space.HasDestinationAsync(destinationId))
            throw new JourneysValidationException("destinationId", $"unknown destination {destinationId} in space {state.State.SpaceId}");
        var destination = await GrainFactory.Get<IDestinationGrain>(destinationId).GetAsync();

        var connection = ConnectionInfo.To(destination, settings);
        var connectedBefore = state.State.Connections.Any(c => c.DestinationId == destinationId);
        state.State.Connections.RemoveAll(c => c.DestinationId == destinationId);
        state.State.Connections.Add(connection);
        await state.WriteStateAsync();
        logger.LogInformation("Step {StepKey} connected to destination {DestinationId}", state.State.Key, destinationId);

        await space.UpdateStepAsync(Info());
        // Every silo now has the connection, so users entering from here on tell the destination themselves; those
        // already in the step are told by a walk in the background. A step in a draft has nobody in it yet.
        if (!connectedBefore)
            await GrainFactory.Get<IConnectBackfillGrain>(GrainKeys.ConnectBackfill(StepId, destinationId)).StartAsync(state.State.SpaceId, state.State.JourneyId);
        if (destination.Kind == DestinationKind.List && destination.ListSyncUrl is not null)
            await GrainFactory.Get<IListSyncGrain>(GrainKeys.ListSync(destination.Id, state.State.ListStepId ?? StepId)).StartAsync();
        return Info();
    }

    public Task<ConnectBackfillStatus> GetConnectBackfillAsync(string destinationId)
    {
        EnsureCreated();
        if (state.State.Connections.All(c => c.DestinationId != destinationId))
            throw new JourneysValidationException("destinationId", $"{destinationId} is not connected to step {StepId}");
        return GrainFactory.Get<IConnectBackfillGrain>(GrainKeys.ConnectBackfill(StepId, destinationId)).GetStatusAsync();
    }

    private Task<string> IssueKeyAsync(string journeyName, string stepName)
    {
        var registry = GrainFactory.Get<IStepKeyRegistryGrain>(
            GrainKeys.StepKeyRegistry(StepKeyGenerator.KeyPrefix(journeyName, stepName)));
        return StepKeyRegistry.IssueAsync(journeyName, stepName, registry.TryReserveAsync);
    }

    private StepInfo Info() => state.State.ToInfo(StepId);

    private void EnsureCreated()
    {
        if (!state.State.Created) throw new JourneysNotFoundException("step", StepId);
    }
}
