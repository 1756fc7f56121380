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
/// Tells a destination connected later of a send step's current members: walks the step in the space's index one page
/// per timer tick (so its status answers between pages) and asks each user to announce itself
/// (<see cref="IUserGrain.AnnounceAsync"/>), which each user does once per membership and destination. Users who enter
/// after the connection was published were told by themselves and are skipped. A reminder brings the walk back after
/// a crash or restart; it goes on from the last page it finished.
/// </summary>
[GrainType("connectbackfill")]
public sealed class ConnectBackfillGrain(
    [PersistentState("connectBackfill", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<ConnectBackfillState> state,
    ISpaceIndex spaceIndex,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<ConnectBackfillGrain> logger) : Grain, IConnectBackfillGrain, IRemindable
{
    private const int Concurrency = 64;

    private ResumableWalk? _walk;

    private ResumableWalk Walk => _walk ??= new ResumableWalk(this, "connect", options.Value.ResumeReminderPeriod, () => state.State.Pending, AnnouncePageAsync);

    private string _stepId = "";
    private string _destinationId = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        (_stepId, _destinationId) = (key[..key.IndexOf('/')], key[(key.LastIndexOf('/') + 1)..]);
        if (state.State.Pending) Walk.Resume();
        return Task.CompletedTask;
    }

    public async Task<ConnectBackfillStatus> StartAsync(string spaceId, string journeyId)
    {
        if (state.State.Pending) return Status();
        state.State = new ConnectBackfillState { SpaceId = spaceId, JourneyId = journeyId, Pending = true, StartedAt = clock.GetUtcNow() };
        state.State.Total = await spaceIndex.CountAsync(state.State.SpaceId, _stepId);
        if (state.State.Total == 0)
        {
            // A draft's step, or a step nobody is in: no walk (nothing stored, no progress to show), no timer, no reminder.
            state.State = new ConnectBackfillState();
            return Status();
        }
        await state.WriteStateAsync();
        await Walk.StartAsync();
        return Status();
    }

    public Task<ConnectBackfillStatus> GetStatusAsync() => Task.FromResult(Status());

    public Task ReceiveReminder(string reminderName, TickStatus status) => Walk.RemindedAsync();

    private ConnectBackfillStatus Status() => new(
        state.State.Pending, state.State.Visited, Math.Max(state.State.Total, state.State.Visited), state.State.Told,
        state.State.StartedAt, state.State.FinishedAt,
        state.State.StartedAt is { } started
            ? ProgressMeter.Measure(WorkKind.ConnectBackfill, state.State.Visited, state.State.Total, started, state.State.FinishedAt, clock.GetUtcNow())
            : null);

    /// <summary>Announces to one page of the step's members.</summary>
    private async Task AnnouncePageAsync()
    {
        var page = await spaceIndex.GetPageAsync(state.State.SpaceId, _stepId, state.State.PageToken, MemberPages.MaxPageSize);
        foreach (var chunk in page.Members.Chunk(Concurrency))
        {
            var told = await Task.WhenAll(chunk.Select(member => GrainFactory
                .Get<IUserGrain>(GrainKeys.User(state.State.SpaceId, member.UserKey))
                .AnnounceAsync(state.State.JourneyId, _stepId, _destinationId)));
            state.State.Told += told.Count(t => t);
        }
        state.State.Visited += page.Members.Count;
        state.State.PageToken = page.NextPageToken;
        if (page.NextPageToken is null)
        {
            state.State.Pending = false;
            state.State.FinishedAt = clock.GetUtcNow();
            logger.LogInformation("Step {StepId} told destination {DestinationId} of {Told} members it already had", _stepId, _destinationId, state.State.Told);
        }
        await state.WriteStateAsync();
    }
}
