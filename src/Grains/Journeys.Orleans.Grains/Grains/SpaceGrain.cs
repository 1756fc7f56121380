using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

[GrainType("space")]
public sealed class SpaceGrain(
    [PersistentState("space", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<SpaceState> state,
    IOptions<JourneysOptions> options,
    ILogger<SpaceGrain> logger) : Grain, ISpaceGrain
{
    private PublishedCatalog? _catalog;

    private string SpaceId => this.GetPrimaryKeyString();

    public async Task<DestinationInfo> CreateDestinationAsync(DestinationDefinition definition)
    {
        InputRules.CheckSpaceId(SpaceId);
        DefinitionRules.Check(definition);

        var destinationId = Ids.New("dst");
        var info = await GrainFactory.GetGrain<IDestinationGrain>(destinationId)
            .CreateAsync(SpaceId, definition, options.Value.DestinationPartitions);
        state.State.DestinationIds.Add(destinationId);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} created {DestinationKind} destination {DestinationId} ({DestinationName})",
            SpaceId, definition.Kind, destinationId, definition.Name);
        return info;
    }

    public async Task<IReadOnlyList<DestinationInfo>> ListDestinationsAsync() =>
        await Task.WhenAll(state.State.DestinationIds.Select(id => GrainFactory.GetGrain<IDestinationGrain>(id).GetAsync()));

    public async Task<JourneyInfo> CreateJourneyAsync(JourneyDefinition definition)
    {
        InputRules.CheckSpaceId(SpaceId);
        DefinitionRules.Check(definition);

        var journeyId = Ids.New("jny");
        var info = await GrainFactory.GetGrain<IJourneyGrain>(journeyId).CreateAsync(SpaceId, definition);
        state.State.JourneyIds.Add(journeyId);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} created journey {JourneyId} ({JourneyName})", SpaceId, journeyId, definition.Name);
        return info;
    }

    public async Task<IReadOnlyList<JourneyInfo>> ListJourneysAsync() =>
        await Task.WhenAll(state.State.JourneyIds.Select(id => GrainFactory.GetGrain<IJourneyGrain>(id).GetAsync()));

    public async Task<PublishedCatalog> GetCatalogAsync() => _catalog ??= await BuildCatalogAsync(state.State.CatalogVersion);

    public async Task<PublishedCatalog> RefreshCatalogAsync()
    {
        state.State.CatalogVersion++;
        await state.WriteStateAsync();
        var catalog = await BuildCatalogAsync(state.State.CatalogVersion);
        _catalog = catalog;

        var replicas = options.Value.CatalogReplicas;
        await Task.WhenAll(Enumerable.Range(0, replicas).Select(replica =>
            GrainFactory.GetGrain<IJourneyCatalogGrain>(GrainKeys.CatalogReplica(SpaceId, replica)).UpdateAsync(catalog)));
        logger.LogInformation("Space {SpaceId} published catalog version {CatalogVersion} with {JourneyCount} journeys to {Replicas} replicas",
            SpaceId, catalog.Version, catalog.Journeys.Count, replicas);
        return catalog;
    }

    public async Task<WriteKeyInfo> CreateWriteKeyAsync()
    {
        InputRules.CheckSpaceId(SpaceId);
        var key = new WriteKeyInfo(Ids.New("wk") + Ids.New("k")[2..], SpaceId, DateTimeOffset.UtcNow);
        await GrainFactory.GetGrain<IWriteKeyGrain>(GrainKeys.WriteKey(key.Key)).CreateAsync(SpaceId);
        state.State.WriteKeys.Add(key);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} issued a write key", SpaceId);
        return key;
    }

    public async Task RevokeWriteKeyAsync(string writeKey)
    {
        var index = state.State.WriteKeys.FindIndex(k => k.Key == writeKey);
        if (index < 0) throw new JourneysValidationException("writeKey", $"is not a write key of space {SpaceId}");
        await GrainFactory.GetGrain<IWriteKeyGrain>(GrainKeys.WriteKey(writeKey)).RevokeAsync();
        state.State.WriteKeys.RemoveAt(index);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} revoked a write key", SpaceId);
    }

    public Task<IReadOnlyList<WriteKeyInfo>> ListWriteKeysAsync() =>
        Task.FromResult<IReadOnlyList<WriteKeyInfo>>(state.State.WriteKeys.ToList());

    public Task<bool> HasDestinationAsync(string destinationId) =>
        Task.FromResult(state.State.DestinationIds.Contains(destinationId, StringComparer.Ordinal));

    private async Task<PublishedCatalog> BuildCatalogAsync(long version)
    {
        var journeys = await ListJourneysAsync();
        return new PublishedCatalog
        {
            SpaceId = SpaceId,
            Version = version,
            Journeys = journeys.Where(j => j.Status is JourneyStatus.Published or JourneyStatus.Paused).ToList(),
        };
    }
}
