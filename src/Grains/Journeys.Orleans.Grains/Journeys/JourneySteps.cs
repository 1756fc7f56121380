using Journeys.Orleans.Domain;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Grains;

/// <summary>
/// What a journey grain does to the steps of one of its drafts: makes them from a document (keeping unchanged ones, with
/// their keys) or from an earlier version, and writes them back out as a document. Calls only step and destination
/// grains, which call no journey back.
/// </summary>
public sealed class JourneySteps(IGrainFactory grains, string spaceId, string journeyId, string journeyName)
{
    /// <summary>
    /// The step ids of a draft whose steps become <paramref name="steps"/>: a step whose ref and definition are those of
    /// a step in <paramref name="current"/> stays, with its id and key (in a new version, the key of the version it came
    /// from) and takes the document's connections; the others are new steps with new keys.
    /// </summary>
    /// <exception cref="JourneysValidationException">A connection to a destination outside the space; nothing changed.</exception>
    public async Task<List<string>> ReplaceAsync(IReadOnlyList<StepInfo> current, IReadOnlyList<StepDocument> steps)
    {
        var destinations = await SpaceDestinations.ResolveAsync(grains, spaceId, steps);
        var stepIds = new List<string>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var definition = steps[i].Step with { Ref = steps[i].Step.Ref ?? DefinitionRules.DefaultRef(i) };
            var connections = steps[i].Connections.Select(c => ConnectionInfo.To(destinations[c.DestinationId], c.Settings)).ToList();
            if (current.FirstOrDefault(s => s.Ref == definition.Ref && s.ToDefinition() == definition) is { } same)
            {
                await grains.Get<IStepGrain>(same.Id).ReplaceConnectionsAsync(connections);
                stepIds.Add(same.Id);
                continue;
            }
            var stepId = Ids.New("stp");
            await grains.Get<IStepGrain>(stepId).CreateAsync(spaceId, journeyId, journeyName, definition, null, connections);
            stepIds.Add(stepId);
        }
        return stepIds;
    }

    /// <summary>New steps copying <paramref name="previous"/>: same definitions, keys and connections.</summary>
    public async Task<List<string>> CopyAsync(IReadOnlyList<StepInfo> previous)
    {
        var stepIds = new List<string>(previous.Count);
        foreach (var step in previous)
        {
            var stepId = Ids.New("stp");
            // The same step in the new version keeps its key, and so its list destinations keep their lists.
            await grains.Get<IStepGrain>(stepId).CreateAsync(
                spaceId, journeyId, journeyName, step.ToDefinition(), step.Key, step.Connections, step.ListStepId ?? step.Id);
            stepIds.Add(stepId);
        }
        return stepIds;
    }

    /// <summary>The journey as a document that importing takes back unchanged.</summary>
    public static JourneyDocument Export(JourneyDefinition journey, IReadOnlyList<StepInfo> steps) => new()
    {
        Journey = journey,
        Steps = steps.Select(s => new StepDocument
        {
            Step = s.ToDefinition(),
            Connections = s.Connections.Select(c => new ConnectionDocument { DestinationId = c.DestinationId, Settings = c.Settings }).ToList(),
        }).ToList(),
    };
}
