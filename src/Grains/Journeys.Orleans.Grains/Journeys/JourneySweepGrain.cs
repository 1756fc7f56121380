using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Members;
using Journeys.Orleans.Model;
using Journeys.Orleans.SpaceIndex;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// A journey's backfill (at publish) and archive sweep: walks the space's step index one page per timer tick, so that
/// calls (its journey asking for the status) are answered between pages without any interleaving. A reminder brings
/// the walk back after a crash or restart; it goes on from the last page it finished.
/// </summary>
[GrainType("journeysweep")]
public sealed class JourneySweepGrain(
    [PersistentState("journeySweep", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<JourneySweepState> state,
    ISpaceIndex spaceIndex,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<JourneySweepGrain> logger) : Grain, IJourneySweepGrain, IRemindable
{
    private const int Concurrency = 64;

    private readonly HashSet<string> _woken = new(StringComparer.Ordinal);
    private ResumableWalk? _walk;

    private ResumableWalk Walk => _walk ??= new ResumableWalk(this, "sweep", options.Value.ResumeReminderPeriod, () => state.State.Walking is not null, WalkPageAsync);

    private string JourneyId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Pending) Walk.Resume();
        return Task.CompletedTask;
    }

    public async Task<JourneySweepStatus> BackfillAsync(string spaceId)
    {
        state.State.StartBackfill(spaceId);
        await StartAsync();
        return Status();
    }

    public async Task<JourneySweepStatus> SweepAsync(string spaceId, IReadOnlyList<string> stepIds)
    {
        state.State.StartSweep(spaceId, stepIds);
        _woken.Clear();
        await StartAsync();
        return Status();
    }

    public Task<JourneySweepStatus> GetStatusAsync() => Task.FromResult(Status());

    public Task ReceiveReminder(string reminderName, TickStatus status) => Walk.RemindedAsync();

    private JourneySweepStatus Status() => new(state.State.Pending, state.State.BackfilledUsers, state.State.Progress(clock.GetUtcNow()));

    private async Task StartAsync()
    {
        await CountAsync();
        await state.WriteStateAsync();
        if (state.State.Pending) await Walk.StartAsync();
    }

    /// <summary>Walks one page of the current index "step".</summary>
    private async Task WalkPageAsync()
    {
        var walk = state.State.Walking!.Value;
        await CountAsync();
        var page = await spaceIndex.GetPageAsync(state.State.SpaceId, walk.StepId, state.State.PageToken, MemberPages.MaxPageSize);
        long visited = 0;
        foreach (var chunk in page.Members.Chunk(Concurrency))
        {
            var users = chunk.Select(m => GrainFactory.Get<IUserGrain>(GrainKeys.User(state.State.SpaceId, m.UserKey)));
            var results = await Task.WhenAll(users.Select(user => walk.Backfill ? user.BackfillAsync(JourneyId) : WakeOnceAsync(user)));
            visited += results.Count(r => r);
        }
        state.State.Advance(page.NextPageToken, visited, page.Members.Count, clock.GetUtcNow());
        await state.WriteStateAsync();

        if (walk.Backfill && !state.State.BackfillPending)
            logger.Backfilled(JourneyId, state.State.BackfilledUsers);
        else if (!walk.Backfill && !state.State.SweepPending)
            logger.Swept(JourneyId, state.State.SweptUsers);
    }

    /// <summary>
    /// Counts the users the walk will visit, once when it starts (or, for a walk saved before walks counted, when it
    /// goes on): one count per index "step" (a COUNT on PostgreSQL, the partitions' counts in memory) is cheap beside
    /// the walk, and the total is stored so that it survives restarts.
    /// </summary>
    private async Task CountAsync()
    {
        if (!state.State.NeedsCount) return;
        var counts = await Task.WhenAll(state.State.StepsToWalk.Select(stepId => spaceIndex.CountAsync(state.State.SpaceId, stepId)));
        state.State.Counted(counts.Sum(), clock.GetUtcNow());
        logger.Counted(JourneyId, state.State.WalkKind, state.State.WalkTotal);
    }

    /// <summary>Wakes a user so that they leave the archived journey now rather than at their next call; once per walk.</summary>
    private async Task<bool> WakeOnceAsync(IUserGrain user)
    {
        if (!_woken.Add(user.GetPrimaryKeyString())) return false;
        await user.WakeAsync();
        return true;
    }
}
