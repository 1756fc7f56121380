using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// After a call changed some of a user's traits: the list memberships whose connections keep one of those traits as an
/// identifier, each as an "entered" of the membership's own epoch, so that the list updates the member's identifiers
/// (a new email) without the member leaving. Pure: no grains, no storage.
/// </summary>
public static class IdentifierRefresh
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    /// <summary>The trait names <paramref name="identify"/> changes in <paramref name="state"/> (set, changed or removed).</summary>
    public static IReadOnlySet<string> ChangedBy(UserState state, IdentifyEvent identify)
    {
        HashSet<string>? changed = null;
        foreach (var (name, value) in identify.Traits)
        {
            if (!string.Equals(state.Traits.GetValueOrDefault(name), value, StringComparison.Ordinal)) (changed ??= new(StringComparer.Ordinal)).Add(name);
        }
        return changed ?? None;
    }

    public static IEnumerable<TransitionDelivery> Of(
        UserState state, PublishedCatalog catalog, string spaceId, string userKey, IReadOnlySet<string> changedTraits)
    {
        if (changedTraits.Count == 0) yield break;
        foreach (var journey in catalog.Journeys)
        {
            if (!state.Journeys.TryGetValue(journey.Id, out var progress)) continue;
            var graph = JourneyGraph.Of(journey);
            foreach (var (stepId, membership) in progress.Steps)
            {
                if (!membership.IsMember || graph.Step(stepId) is not { Kind: StepKind.SendToDestinations } step) continue;
                foreach (var connection in step.Connections)
                {
                    if (connection.DestinationKind != DestinationKind.List || !connection.Settings.IdentifiersInEffect.Any(changedTraits.Contains)) continue;
                    yield return new TransitionDelivery(Announcements.EntryOf(state, spaceId, userKey, journey.Id, stepId, membership), connection);
                }
            }
        }
    }
}
