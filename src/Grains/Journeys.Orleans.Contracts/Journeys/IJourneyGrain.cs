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
    [Alias("Get")]
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

    /// <summary>
    /// Archives the journey: it moves nobody any more; users inside leave it, and members of its <c>onStepLeave</c>
    /// send steps leave them (destinations are told). Cannot be undone.
    /// </summary>
    [Alias("Archive")]
    Task<JourneyInfo> ArchiveAsync();

    /// <summary>
    /// Called by the space to fill a new draft from a document (or replace a draft's steps). A step whose ref and
    /// definition are those of a step already in the draft is kept, with its key; the others get new keys.
    /// </summary>
    /// <exception cref="JourneysValidationException">Not a draft, or an invalid document; nothing changed.</exception>
    [Alias("ReplaceSteps")]
    Task<JourneyInfo> ReplaceStepsAsync(IReadOnlyList<StepDocument> steps);

    /// <summary>
    /// Makes a new draft version of a published (or paused) journey, with the same definition and the same step keys.
    /// When it is published, this version closes to entry (users inside go on) and users who were in any earlier
    /// version never enter the new one. At most 25 versions.
    /// </summary>
    [Alias("CreateVersion")]
    Task<JourneyInfo> CreateVersionAsync();

    /// <summary>Called on a new journey grain by <see cref="CreateVersionAsync"/>.</summary>
    [Alias("CreateAsVersion")]
    Task<JourneyInfo> CreateAsVersionAsync(JourneyInfo previous, string lineageId, int version);

    /// <summary>
    /// Called when a later version is published: closes this version's entry and returns it for the catalog (null when
    /// this version's id was reserved but the version never made).
    /// </summary>
    [Alias("Supersede")]
    Task<JourneyInfo?> SupersedeAsync(string laterVersionId);

    /// <summary>A new draft journey with the same definition and connections, and new step keys.</summary>
    [Alias("Clone")]
    Task<JourneyInfo> CloneAsync(string? name = null);

    /// <summary>The journey's definition as a document that <see cref="ISpaceGrain.ImportJourneyAsync"/> takes back unchanged.</summary>
    [Alias("Export")]
    Task<JourneyDocument> ExportAsync();

    /// <summary>How many users are in each step now.</summary>
    [Alias("GetStepCounts")]
    Task<IReadOnlyList<StepCount>> GetStepCountsAsync();

    /// <summary>A page of the users in one step, in user key order.</summary>
    [Alias("GetStepMembers")]
    Task<MemberPage> GetStepMembersAsync(string stepId, string? pageToken, int pageSize);
}
