using Journeys.Orleans.Catalog;
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
    StoredDefinitions stored,
    IOptions<JourneysOptions> options,
    ILogger<SpaceGrain> logger) : Grain, ISpaceGrain
{
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    private readonly HashSet<ICatalogObserver> _subscribers = [];
    private PublishedCatalog? _catalog;

    private string SpaceId => this.GetPrimaryKeyString();

    private Dictionary<string, JourneyInfo> Published => state.State.Published ??= new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Published is not null) return;
        // Saved before the space kept its journeys' snapshots: read them from storage once. Not through the journey
        // grains: the call that activates this space may come from one of them, waiting on us.
        var published = new Dictionary<string, JourneyInfo>(StringComparer.Ordinal);
        foreach (var journeyId in state.State.JourneyIds)
            if (await stored.ReadJourneyInfoAsync(journeyId) is { Status: not JourneyStatus.Draft } journey)
                published[journeyId] = journey;
        state.State.Published = published;
        if (state.State.JourneyIds.Count > 0) await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} took {JourneyCount} published journeys from their stored states", SpaceId, published.Count);
    }

    public async Task<DestinationInfo> CreateDestinationAsync(DestinationDefinition definition)
    {
        InputRules.CheckSpaceId(SpaceId);
        DefinitionRules.Check(definition);
        Connectors.OutgoingAddressPolicy.From(options.Value).Check(definition);

        var destinationId = Ids.New("dst");
        var info = await GrainFactory.Get<IDestinationGrain>(destinationId)
            .CreateAsync(SpaceId, definition, options.Value.DestinationPartitions);
        state.State.DestinationIds.Add(destinationId);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} created {DestinationKind} destination {DestinationId} ({DestinationName})",
            SpaceId, definition.Kind, destinationId, definition.Name);
        return info;
    }

    public async Task<IReadOnlyList<DestinationInfo>> ListDestinationsAsync() =>
        await Task.WhenAll(state.State.DestinationIds.Select(id => GrainFactory.Get<IDestinationGrain>(id).GetAsync()));

    public async Task<JourneyInfo> CreateJourneyAsync(JourneyDefinition definition)
    {
        InputRules.CheckSpaceId(SpaceId);
        DefinitionRules.Check(definition);

        var journeyId = Ids.New("jny");
        var info = await GrainFactory.Get<IJourneyGrain>(journeyId).CreateAsync(SpaceId, definition);
        state.State.JourneyIds.Add(journeyId);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} created journey {JourneyId} ({JourneyName})", SpaceId, journeyId, definition.Name);
        return info;
    }

    public async Task<JourneyInfo> ImportJourneyAsync(JourneyDocument document)
    {
        await ValidateJourneyAsync(document);
        var journeyId = Ids.New("jny");
        var journey = GrainFactory.Get<IJourneyGrain>(journeyId);
        await journey.CreateAsync(SpaceId, document.Journey);
        state.State.JourneyIds.Add(journeyId);
        await state.WriteStateAsync();
        var info = await journey.ReplaceStepsAsync(document.Steps);
        logger.LogInformation("Space {SpaceId} imported journey {JourneyId} ({JourneyName}) with {StepCount} steps",
            SpaceId, journeyId, info.Name, info.Steps.Count);
        return info;
    }

    public Task ValidateJourneyAsync(JourneyDocument document)
    {
        InputRules.CheckSpaceId(SpaceId);
        DefinitionRules.Check(document);
        for (var i = 0; i < document.Steps.Count; i++)
        {
            var connections = document.Steps[i].Connections ?? [];
            for (var c = 0; c < connections.Count; c++)
            {
                var destinationId = connections[c].DestinationId;
                if (!state.State.DestinationIds.Contains(destinationId, StringComparer.Ordinal))
                    throw new JourneysValidationException($"steps[{i}].connections[{c}].destinationId", $"unknown destination {destinationId} in space {SpaceId}");
            }
        }
        return Task.CompletedTask;
    }

    public async Task AddJourneyAsync(string journeyId)
    {
        if (state.State.JourneyIds.Contains(journeyId, StringComparer.Ordinal)) return;
        state.State.JourneyIds.Add(journeyId);
        await state.WriteStateAsync();
    }

    public async Task<IReadOnlyList<JourneyInfo>> ListJourneysAsync() =>
        await Task.WhenAll(state.State.JourneyIds.Select(id => GrainFactory.Get<IJourneyGrain>(id).GetAsync()));

    public Task<PublishedCatalog> GetCatalogAsync() => Task.FromResult(_catalog ??= BuildCatalog(state.State.CatalogVersion));

    public Task<PublishedCatalog> SubscribeCatalogAsync(ICatalogObserver observer)
    {
        _subscribers.Add(observer);
        return GetCatalogAsync();
    }

    public async Task<PublishedCatalog> PublishJourneysAsync(IReadOnlyList<JourneyInfo> journeys)
    {
        foreach (var journey in journeys)
        {
            if (journey.SpaceId != SpaceId)
                throw new InvalidOperationException($"Journey {journey.Id} belongs to space {journey.SpaceId}, not {SpaceId}.");
            if (journey.Status == JourneyStatus.Draft) Published.Remove(journey.Id);
            else Published[journey.Id] = journey;
        }
        return await PushCatalogAsync();
    }

    public async Task<PublishedCatalog> UpdateStepAsync(StepInfo step)
    {
        // A draft's step is not in the catalog; its journey's snapshot carries it when the journey is published.
        if (Published.TryGetValue(step.JourneyId, out var journey) && journey.Steps.Any(s => s.Id == step.Id))
            Published[step.JourneyId] = journey with { Steps = journey.Steps.Select(s => s.Id == step.Id ? step : s).ToList() };
        return await PushCatalogAsync();
    }

    /// <summary>
    /// Saves the snapshots under a new catalog version and pushes that catalog to every silo's copy before returning,
    /// so that events sent after the caller's change see it.
    /// </summary>
    private async Task<PublishedCatalog> PushCatalogAsync()
    {
        state.State.CatalogVersion++;
        await state.WriteStateAsync();
        var catalog = BuildCatalog(state.State.CatalogVersion);
        _catalog = catalog;

        // Every silo's copy has it before publish returns; a silo that does not answer is dropped (it subscribes
        // again when it next needs the space, or when its subscription is renewed).
        var subscribers = _subscribers.ToList();
        var pushes = await Task.WhenAll(subscribers.Select(async observer =>
        {
            try
            {
                await observer.CatalogChangedAsync(catalog).WaitAsync(PushTimeout);
                return true;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Space {SpaceId} dropped a silo's catalog subscription: {Error}", SpaceId, ex.Message);
                _subscribers.Remove(observer);
                return false;
            }
        }));
        logger.LogInformation("Space {SpaceId} published catalog version {CatalogVersion} with {JourneyCount} journeys to {Silos} silos",
            SpaceId, catalog.Version, catalog.Journeys.Count, pushes.Count(p => p));
        return catalog;
    }

    public async Task<WriteKeyInfo> CreateWriteKeyAsync()
    {
        InputRules.CheckSpaceId(SpaceId);
        var key = new WriteKeyInfo(Ids.New("wk") + Ids.New("k")[2..], SpaceId, DateTimeOffset.UtcNow);
        await GrainFactory.Get<IWriteKeyGrain>(GrainKeys.WriteKey(key.Key)).CreateAsync(SpaceId);
        state.State.WriteKeys.Add(key);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} issued a write key", SpaceId);
        return key;
    }

    public async Task RevokeWriteKeyAsync(string writeKey)
    {
        var index = state.State.WriteKeys.FindIndex(k => k.Key == writeKey);
        if (index < 0) throw new JourneysValidationException("writeKey", $"is not a write key of space {SpaceId}");
        await GrainFactory.Get<IWriteKeyGrain>(GrainKeys.WriteKey(writeKey)).RevokeAsync();
        state.State.WriteKeys.RemoveAt(index);
        await state.WriteStateAsync();
        logger.LogInformation("Space {SpaceId} revoked a write key", SpaceId);
    }

    public Task<IReadOnlyList<WriteKeyInfo>> ListWriteKeysAsync() =>
        Task.FromResult<IReadOnlyList<WriteKeyInfo>>(state.State.WriteKeys.ToList());

    public Task<bool> HasDestinationAsync(string destinationId) =>
        Task.FromResult(state.State.DestinationIds.Contains(destinationId, StringComparer.Ordinal));

    /// <summary>The catalog at <paramref name="version"/>: the published snapshots, in the order the journeys were created.</summary>
    private PublishedCatalog BuildCatalog(long version) => new()
    {
        SpaceId = SpaceId,
        Version = version,
        // Archived journeys stay: their users leave them when they next move (or when the archive sweeps them).
        Journeys = state.State.JourneyIds.Where(Published.ContainsKey).Select(id => Published[id]).ToList(),
    };
}
