using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Grains;

/// <summary>
/// The destinations a journey document connects to, checked against the journey's space by asking each destination
/// rather than the space: the space may be the caller (it imports documents), waiting on the journey.
/// </summary>
public static class SpaceDestinations
{
    /// <summary>Every destination the steps connect to, by id.</summary>
    /// <exception cref="JourneysValidationException">A destination that is not in the space, naming the connection.</exception>
    public static async Task<IReadOnlyDictionary<string, DestinationInfo>> ResolveAsync(
        IGrainFactory grains, string spaceId, IReadOnlyList<StepDocument> steps)
    {
        var destinations = new Dictionary<string, DestinationInfo>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            for (var c = 0; c < steps[i].Connections.Count; c++)
            {
                var destinationId = steps[i].Connections[c].DestinationId;
                if (destinations.ContainsKey(destinationId)) continue;
                destinations[destinationId] = await InSpaceAsync(grains, spaceId, destinationId)
                    ?? throw new JourneysValidationException($"steps[{i}].connections[{c}].destinationId", $"unknown destination {destinationId} in space {spaceId}");
            }
        }
        return destinations;
    }

    private static async Task<DestinationInfo?> InSpaceAsync(IGrainFactory grains, string spaceId, string destinationId)
    {
        if (string.IsNullOrWhiteSpace(destinationId)) return null;
        try
        {
            var destination = await grains.Get<IDestinationGrain>(destinationId).GetAsync();
            return destination.SpaceId == spaceId ? destination : null;
        }
        catch (JourneysNotFoundException)
        {
            return null;
        }
    }
}
