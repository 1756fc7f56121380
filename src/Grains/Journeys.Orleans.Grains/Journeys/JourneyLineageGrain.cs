using Journeys.Orleans.Catalog;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;

namespace Journeys.Orleans.Grains;

/// <summary>A journey's versions (<see cref="JourneyLineage"/>), apart from any one version's grain.</summary>
[GrainType("journeylineage")]
public sealed class JourneyLineageGrain(
    [PersistentState("journeyLineage", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<JourneyLineageState> state,
    StoredDefinitions stored,
    ILogger<JourneyLineageGrain> logger) : Grain, IJourneyLineageGrain
{
    private string LineageId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.VersionIds.Count > 0) return;
        // Before lineages had a grain, the first version kept the ids; from storage, as that version may be the caller.
        var first = await stored.ReadJourneyAsync(LineageId);
        state.State.VersionIds = first is { VersionIds.Count: > 0 } ? first.VersionIds.ToList() : [LineageId];
    }

    public async Task<JourneyInfo> CreateVersionAsync(JourneyInfo from)
    {
        var (versionId, version) = new JourneyLineage(state.State.VersionIds).Reserve(() => Ids.New("jny"));
        await state.WriteStateAsync();
        var info = await GrainFactory.Get<IJourneyGrain>(versionId).CreateAsVersionAsync(from, LineageId, version);
        await GrainFactory.Get<ISpaceGrain>(from.SpaceId).AddJourneyAsync(versionId);
        logger.LogInformation("Journey {JourneyId} has a new draft version {Version}: {VersionId}", LineageId, version, versionId);
        return info;
    }

    public Task<IReadOnlyList<string>> GetVersionIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.VersionIds.ToList());
}
