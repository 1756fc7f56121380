using Journeys.Orleans.Catalog;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Grains;

/// <summary>A journey's versions (<see cref="JourneyLineage"/>), apart from any one version's grain.</summary>
[GrainType("journeylineage")]
public sealed class JourneyLineageGrain(
    [PersistentState("journeyLineage", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<JourneyLineageState> state,
    StoredDefinitions stored) : Grain, IJourneyLineageGrain
{
    private string LineageId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.VersionIds.Count > 0) return;
        // Before lineages had a grain, the first version kept the ids; from storage, as that version may be the caller.
        var first = await stored.ReadJourneyAsync(LineageId);
        state.State.VersionIds = first is { VersionIds.Count: > 0 } ? first.VersionIds.ToList() : [LineageId];
    }

    public async Task<(string JourneyId, int Version)> ReserveVersionAsync()
    {
        var reserved = new JourneyLineage(state.State.VersionIds).Reserve(() => Ids.New("jny"));
        await state.WriteStateAsync();
        return reserved;
    }

    public Task<IReadOnlyList<string>> GetVersionIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.VersionIds.ToList());
}
