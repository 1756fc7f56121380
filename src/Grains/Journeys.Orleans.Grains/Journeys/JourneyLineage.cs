using Journeys.Orleans.Model;

namespace Journeys.Orleans.Domain;

/// <summary>
/// The versions of a journey: their ids in order, the first version's first; version n is at index n - 1. At most
/// <see cref="DefinitionRules.MaxVersions"/>.
/// </summary>
public sealed class JourneyLineage(List<string> versionIds)
{
    /// <summary>Adds the next version with the id <paramref name="newId"/> makes; returns its id and number.</summary>
    /// <exception cref="JourneysValidationException">The lineage is full; nothing changed.</exception>
    public (string JourneyId, int Version) Reserve(Func<string> newId)
    {
        if (versionIds.Count >= DefinitionRules.MaxVersions)
            throw new JourneysValidationException("journeyId", $"a journey has at most {DefinitionRules.MaxVersions} versions");
        var id = newId();
        versionIds.Add(id);
        return (id, versionIds.Count);
    }

    /// <summary>The ids of the versions before <paramref name="version"/>, oldest first.</summary>
    public static IReadOnlyList<string> EarlierThan(IReadOnlyList<string> versionIds, int version) =>
        versionIds.Take(Math.Max(0, version - 1)).ToList();
}
