using Journeys.Orleans.Catalog;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.SpaceIndex;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// A journey: its definition, its steps, its lifecycle (draft → published ⇄ paused → archived), its versions and
/// the index of which users are in each step. Not on the per-event path: users read the published catalog. The long
/// walks over its users (backfill, archive sweep) run in its <see cref="JourneySweepGrain"/>, so it keeps answering.
/// </summary>
[GrainType("journey")]
public sealed class JourneyGrain(
    [PersistentState("journey", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<JourneyState> state,
    ISpaceIndex spaceIndex,
    ILogger<JourneyGrain> logger) : Grain, IJourneyGrain, IRemindable
{
    /// <summary>The reminder a journey kept before its walks had a grain of their own.</summary>
    private const string LegacyBackgroundReminder = "background";

    private string JourneyId => this.GetPrimaryKeyString();

    private IJourneySweepGrain Sweeps => GrainFactory.Get<IJourneySweepGrain>(JourneyId);

    private IJourneyLineageGrain Lineage => GrainFactory.Get<IJourneyLineageGrain>(state.State.LineageId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Saved while the journey walked its users itself: hand the unfinished walk to the sweep grain.
        if (!state.State.BackfillPending && !state.State.SweepPending) return;
        if (state.State.BackfillPending) await Sweeps.BackfillAsync(state.State.SpaceId);
        if (state.State.SweepPending) await Sweeps.SweepAsync(state.State.SpaceId, state.State.StepIds);
        state.State.BackfillPending = state.State.SweepPending = false;
        await state.WriteStateAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == LegacyBackgroundReminder && await this.GetReminder(reminderName) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    public async Task<JourneyInfo> CreateAsync(string spaceId, JourneyDefinition definition)
    {
        if (state.State.Created) throw new InvalidOperationException($"Journey {JourneyId} already exists.");
        DefinitionRules.Check(definition);

        state.State = NewState(spaceId, definition, JourneyId, 1);
        await state.WriteStateAsync();
        return await GetAsync();
    }

    public async Task<JourneyInfo> GetAsync()
    {
        EnsureCreated();
        // A draft has never walked its users: no need to ask.
        return await InfoAsync(state.State.Status == JourneyStatus.Draft ? null : await Sweeps.GetStatusAsync());
    }

    public async Task<StepInfo> AddStepAsync(StepDefinition definition)
    {
        EnsureDraft("steps can only be added to a draft journey");
        DefinitionRules.Check(definition);
        if (state.State.StepIds.Count >= DefinitionRules.MaxSteps)
            throw new JourneysValidationException("steps", $"a journey has at most {DefinitionRules.MaxSteps} steps");
        definition = definition with { Ref = definition.Ref ?? DefinitionRules.DefaultRef(state.State.StepIds.Count) };
        var existing = await GetStepsAsync();
        if (existing.Any(s => s.Ref == definition.Ref))
            throw new JourneysValidationException("ref", $"\"{definition.Ref}\" is already the ref of a step of this journey");

        var stepId = Ids.New("stp");
        var step = await GrainFactory.Get<IStepGrain>(stepId)
            .CreateAsync(state.State.SpaceId, JourneyId, state.State.Current.Name, definition);
        state.State.StepIds.Add(stepId);
        await state.WriteStateAsync();
        logger.LogInformation("Journey {JourneyId} added {StepKind} step {StepId} with key {StepKey}", JourneyId, step.Kind, stepId, step.Key);
        return step;
    }

    public async Task<JourneyInfo> ReplaceStepsAsync(IReadOnlyList<StepDocument> steps)
    {
        EnsureDraft("only a draft journey's steps can be replaced");
        DefinitionRules.Check(new JourneyDocument { Journey = state.State.Current, Steps = steps });
        steps = steps.Select(s => s with { Connections = s.Connections ?? [] }).ToList();
        var stepIds = await Steps().ReplaceAsync(await GetStepsAsync(), steps);
        state.State.StepIds = stepIds;
        await state.WriteStateAsync();
        logger.LogInformation("Journey {JourneyId} now has {StepCount} steps", JourneyId, stepIds.Count);
        return await GetAsync();
    }

    public async Task<JourneyInfo> PublishAsync()
    {
        EnsureCreated();
        JourneyLifecycle.CheckPublish(JourneyId, state.State.Status, state.State.StepIds.Count);
        var steps = await GetStepsAsync();
        DefinitionRules.CheckGraph(steps.Select(s => s.ToDefinition()).ToList());

        IReadOnlyList<JourneyInfo> superseded = [];
        var firstPublish = state.State.Status == JourneyStatus.Draft;
        if (firstPublish)
        {
            state.State.Status = JourneyStatus.Published;
            await state.WriteStateAsync();
            logger.LogInformation("Journey {JourneyId} (version {Version}) published", JourneyId, state.State.Version);
            if (state.State.Version > 1) superseded = await SupersedeEarlierVersionsAsync();
        }
        // This version and the ones it closed reach the catalog together: no event sees both open, or both closed.
        await PushToSpaceAsync(await GetAsync(), superseded);
        // After the catalog: users the backfill enters and users sending events now see the same journey.
        if (firstPublish && state.State.Current.BackfillOnPublish) return await InfoAsync(await Sweeps.BackfillAsync(state.State.SpaceId));
        return await GetAsync();
    }

    public async Task<JourneyInfo> PauseAsync()
    {
        EnsureCreated();
        return await SetStatusAsync(JourneyLifecycle.Pause(JourneyId, state.State.Status));
    }

    public async Task<JourneyInfo> ResumeAsync()
    {
        EnsureCreated();
        return await SetStatusAsync(JourneyLifecycle.Resume(JourneyId, state.State.Status));
    }

    public async Task<JourneyInfo> ArchiveAsync()
    {
        EnsureCreated();
        var wasLive = JourneyLifecycle.IsLive(state.State.Status);
        await SetStatusAsync(JourneyStatus.Archived);
        if (wasLive) return await InfoAsync(await Sweeps.SweepAsync(state.State.SpaceId, state.State.StepIds));
        return await GetAsync();
    }

    public async Task<JourneyInfo> CreateVersionAsync()
    {
        EnsureCreated();
        JourneyLifecycle.CheckNewVersion(JourneyId, state.State.Status);
        return await Lineage.CreateVersionAsync(await GetAsync());
    }

    public async Task<JourneyInfo> CreateAsVersionAsync(JourneyInfo previous, string lineageId, int version)
    {
        if (state.State.Created) throw new InvalidOperationException($"Journey {JourneyId} already exists.");
        state.State = NewState(previous.SpaceId, previous.ToDefinition(), lineageId, version);
        state.State.StepIds = await Steps().CopyAsync(previous.Steps);
        await state.WriteStateAsync();
        return await GetAsync();
    }

    public async Task<JourneyInfo?> SupersedeAsync(string laterVersionId)
    {
        // A version whose id was reserved but never made (its creation failed) has nothing to close.
        if (!state.State.Created) return null;
        if (state.State.SupersededBy is null)
        {
            state.State.SupersededBy = laterVersionId;
            await state.WriteStateAsync();
        }
        return await GetAsync();
    }

    public async Task<JourneyInfo> CloneAsync(string? name = null)
    {
        var document = await ExportAsync();
        var cloneName = name ?? $"Copy of {state.State.Current.Name}";
        if (name is null && cloneName.Length > DefinitionRules.MaxJourneyNameLength) cloneName = cloneName[..DefinitionRules.MaxJourneyNameLength];
        var clone = document with { Journey = document.Journey with { Name = cloneName } };
        return await GrainFactory.Get<ISpaceGrain>(state.State.SpaceId).ImportJourneyAsync(clone);
    }

    public async Task<JourneyDocument> ExportAsync()
    {
        EnsureCreated();
        return JourneySteps.Export(state.State.Current, await GetStepsAsync());
    }

    public async Task<IReadOnlyList<StepCount>> GetStepCountsAsync()
    {
        EnsureCreated();
        var steps = await GetStepsAsync();
        var counts = await Task.WhenAll(steps.Select(s => spaceIndex.CountAsync(state.State.SpaceId, s.Id)));
        return steps.Select((s, i) => new StepCount(s.Id, s.Key, counts[i])).ToList();
    }

    public Task<MemberPage> GetStepMembersAsync(string stepId, string? pageToken, int pageSize)
    {
        EnsureCreated();
        if (!state.State.StepIds.Contains(stepId))
            throw new JourneysValidationException("stepId", $"{stepId} is not a step of journey {JourneyId}");
        return spaceIndex.GetPageAsync(state.State.SpaceId, stepId, pageToken, pageSize);
    }

    private async Task<JourneyInfo> SetStatusAsync(JourneyStatus status)
    {
        if (state.State.Status != status)
        {
            state.State.Status = status;
            await state.WriteStateAsync();
            logger.LogInformation("Journey {JourneyId} is now {Status}", JourneyId, status);
        }
        return await PushToSpaceAsync(await GetAsync(), []);
    }

    // Without the walk's progress: it changes every page, and a snapshot would keep it stale; its journey answers it.
    private Task<JourneyInfo> PushToSpaceAsync(JourneyInfo info, IReadOnlyList<JourneyInfo> others) => JourneySnapshots.PushAsync(
        info, others, journeys => GrainFactory.Get<ISpaceGrain>(state.State.SpaceId).PublishJourneysAsync(
            journeys.Select(j => j with { Progress = null }).ToList()), async () => await GetStepsAsync());

    /// <summary>
    /// Closes every earlier version's entry and returns them for the catalog. Always a later version calling an earlier
    /// one, so these calls cannot go in a circle; the lineage only says which versions there are.
    /// </summary>
    private async Task<List<JourneyInfo>> SupersedeEarlierVersionsAsync()
    {
        var closed = new List<JourneyInfo>();
        foreach (var earlierId in JourneyLineage.EarlierThan(await Lineage.GetVersionIdsAsync(), state.State.Version))
            if (await GrainFactory.Get<IJourneyGrain>(earlierId).SupersedeAsync(JourneyId) is { } earlier) closed.Add(earlier);
        return closed;
    }

    /// <summary>The journey as callers see it, with where its walks stand (none: a draft, which never walked).</summary>
    private async Task<JourneyInfo> InfoAsync(JourneySweepStatus? sweep)
    {
        var info = state.State.ToInfo(JourneyId, await GetStepsAsync());
        // BackfilledUsers in the journey's own state counts a backfill that finished before the walks had their grain.
        return sweep is null ? info : info with
        {
            BackgroundWorkPending = sweep.Pending,
            BackfilledUsers = state.State.BackfilledUsers + sweep.BackfilledUsers,
            Progress = sweep.Progress,
        };
    }

    private JourneySteps Steps() => new(GrainFactory, state.State.SpaceId, JourneyId, state.State.Current.Name);

    private async Task<StepInfo[]> GetStepsAsync() =>
        await Task.WhenAll(state.State.StepIds.Select(id => GrainFactory.Get<IStepGrain>(id).GetAsync()));

    private static JourneyState NewState(string spaceId, JourneyDefinition definition, string lineageId, int version) => new()
    {
        Created = true, SpaceId = spaceId, Definition = definition, Status = JourneyStatus.Draft, LineageId = lineageId, Version = version,
    };

    private void EnsureDraft(string reason)
    {
        EnsureCreated();
        if (state.State.Status != JourneyStatus.Draft)
            throw new JourneysValidationException("journeyId", $"{reason}; {JourneyId} is {state.State.Status}");
    }

    private void EnsureCreated()
    {
        if (!state.State.Created) throw new JourneysNotFoundException("journey", JourneyId);
    }
}
