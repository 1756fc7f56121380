using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>A journey: name, entry condition, ordered steps and lifecycle. Keyed by journey id (<c>jny_...</c>).</summary>
[Alias("journeys.IJourneyGrain")]
public interface IJourneyGrain : IGrainWithStringKey
{
    /// <summary>Called by the space when the journey is created.</summary>
    [Alias("Create")]
    Task<JourneyInfo> CreateAsync(string spaceId, JourneyDefinition definition);

    /// <summary>The journey with its steps; throws when it does not exist.</summary>
    [Alias("Get"), AlwaysInterleave]
    Task<JourneyInfo> GetAsync();


    /// <summary>Appends a step to a draft journey; its key is generated here, once.</summary>
    /// <exception cref="JourneysValidationException">Invalid step, or the journey is not a draft.</exception>
    [Alias("AddStep")]
    Task<StepInfo> AddStepAsync(StepDefinition definition);

    /// <summary>Publishes the journey: from now on it moves users.</summary>
    /// <exception cref="JourneysValidationException">The journey has no steps; nothing changed.</exception>
    [Alias("Publish")]
    Task<JourneyInfo> PublishAsync();

    /// <summary>Closes entry; users inside go on. Only a published journey can be paused.</summary>
    [Alias("Pause")]
    Task<JourneyInfo> PauseAsync();

    /// <summary>Opens entry again after a pause.</summary>
    [Alias("Resume")]
    Task<JourneyInfo> ResumeAsync();
}
