using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// One minute's wake-ups for one partition of a space's users. Holds the user keys (persisted) and one reminder; when
/// the minute has come it wakes each user, forgets those it woke, and retries the others on the next tick.
/// </summary>
[GrainType("wakescheduler")]
public sealed class WakeSchedulerGrain(
    [PersistentState("wakeBucket", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<WakeBucketState> state,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<WakeSchedulerGrain> logger)
    : Grain, IWakeSchedulerGrain, IRemindable
{
    private const string WakeReminder = "wake";
    private const int WakeInParallel = 32;

    private string _spaceId = "";
    private DateTimeOffset _minute;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split('/');
        _spaceId = parts[0];
        _minute = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) * 60_000);
        return Task.CompletedTask;
    }

    public async Task ScheduleAsync(string userKey)
    {
        var first = state.State.Users.Count == 0;
        if (!state.State.Users.Add(userKey)) return;
        await state.WriteStateAsync();
        if (!first) return;
        var untilMinute = _minute - clock.GetUtcNow();
        var due = untilMinute < TimeSpan.Zero ? TimeSpan.Zero : untilMinute > options.Value.LongestWakeWait ? options.Value.LongestWakeWait : untilMinute;
        await this.RegisterOrUpdateReminder(WakeReminder, due, options.Value.WakeCheckPeriod);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (clock.GetUtcNow() < _minute) return;
        var woken = new List<string>();
        foreach (var batch in state.State.Users.ToList().Chunk(WakeInParallel))
        {
            await Task.WhenAll(batch.Select(async userKey =>
            {
                try
                {
                    await GrainFactory.GetGrain<IUserGrain>(GrainKeys.User(_spaceId, userKey)).WakeAsync();
                    lock (woken) woken.Add(userKey);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Could not wake {UserKey}; trying again on the next tick", userKey);
                }
            }));
        }
        foreach (var userKey in woken) state.State.Users.Remove(userKey);
        await state.WriteStateAsync();
        if (state.State.Users.Count > 0) return;

        var reminder = await this.GetReminder(WakeReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
        DeactivateOnIdle();
    }
}
