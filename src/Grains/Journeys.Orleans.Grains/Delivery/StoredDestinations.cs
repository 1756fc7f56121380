using Journeys.Orleans.Hosting;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace Journeys.Orleans.Delivery;

/// <summary>A destination as its partitions need it: the definition with its secrets, and how it sends.</summary>
public sealed record StoredDestination(DestinationDefinition Definition, int Partitions, bool Paused, TimeSpan MaxRetryDuration);

/// <summary>
/// Reads a destination's stored state inside the silo, for its partition and list-sync grains. Secrets (headers, the
/// signing secret, write keys, credentials in URLs) therefore never cross a grain interface, where any Orleans client
/// could ask for them; and a partition that activates while its destination is busy (pausing it, say) does not call
/// back into it. A destination's definition never changes after it is created; pausing is also pushed to partitions.
/// </summary>
public sealed class StoredDestinations(IServiceProvider services, IOptions<JourneysOptions> options)
{
    private const string StateName = "destination";
    private const string GrainType = "destination";

    public async Task<StoredDestination> ReadAsync(string destinationId)
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(JourneysSiloBuilderExtensions.StorageName);
        var read = new GrainState<DestinationState>(new DestinationState());
        await storage.ReadStateAsync(StateName, GrainId.Create(GrainType, destinationId), read);
        var state = read.State ?? new DestinationState();
        if (!state.Created) throw new JourneysNotFoundException("destination", destinationId);
        return new StoredDestination(
            state.Definition, state.Partitions, state.Paused, state.Definition.MaxRetryDuration ?? options.Value.RetryMaxDuration);
    }
}
