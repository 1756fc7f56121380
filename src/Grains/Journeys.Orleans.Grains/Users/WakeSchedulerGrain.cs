using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Users;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// One minute's wake-ups for one partition of a space's users. Holds the user keys and one reminder; when the minute
/// has come it wakes each user, forgets those it woke, and retries the others on the next tick. With a database the
/// users are rows (one insert per user, whatever the bucket holds); on the embedded default they are this grain's
/// state, written when it is deactivated (<see cref="IWakeUps"/>, chosen at host set-up). Reentrant: scheduling many
/// users at once costs one round trip each, in parallel, and a user scheduled while the bucket wakes is either woken
/// now or on the next tick.
/// </summary>
[GrainType("wakescheduler")]
[Reentrant]
public sealed class WakeSchedulerGrain(
    [PersistentState("wakeBucket", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<WakeBucketState> state,
    IWakeUps wakeUps,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<WakeSchedulerGrain> logger)
    : Grain, IWakeSchedulerGrain, IRemindable
{
    private const string WakeReminder = "wake";
    private const int WakeInParallel = 32;
    private const int PageSize = 1000;

    private string _spaceId = "";
    private string _bucket = "";
    private DateTimeOffset _minute;
    private Task? _reminderRegistration;
    private IWakeBucketUsers _users = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split('/');
        _spaceId = parts[0];
        _bucket = $"{parts[2]}/{parts[3]}";
        _minute = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) * 60_000);
        _users = wakeUps.Of(_spaceId, _bucket, state);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _users.SaveAsync(reason, cancellationToken);

    public async Task ScheduleAsync(string userKey)
    {
        await _users.AddAsync(userKey);
        // Once per activation: the reminder row is written once, not once per user.
        await (_reminderRegistration ??= RegisterReminderAsync());
    }

    private async Task RegisterReminderAsync()
    {
        var untilMinute = _minute - clock.GetUtcNow();
        var due = untilMinute < TimeSpan.Zero ? TimeSpan.Zero : untilMinute > options.Value.LongestWakeWait ? options.Value.LongestWakeWait : untilMinute;
        await this.RegisterOrUpdateReminder(WakeReminder, due, options.Value.WakeCheckPeriod);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (clock.GetUtcNow() < _minute) return;
        var left = false;
        string? after = null;
        while (true)
        {
            var users = await _users.PageAsync(after, PageSize);
            if (users.Count == 0) break;
            var woken = await WakeAsync(users);
            left |= woken.Count < users.Count;
            if (woken.Count > 0) await _users.ForgetAsync(woken);
            if (users.Count < PageSize) break;
            after = users[^1];
        }
        if (left) return;

        _reminderRegistration = null;
        var reminder = await this.GetReminder(WakeReminder);
        if (reminder is not null) await this.UnregisterReminder(reminder);
        // A user scheduled while this pass ran must not be left without a reminder.
        if ((await _users.PageAsync(null, 1)).Count > 0)
        {
            await (_reminderRegistration = RegisterReminderAsync());
            return;
        }
        DeactivateOnIdle();
    }

    private async Task<List<string>> WakeAsync(IReadOnlyList<string> users)
    {
        var woken = new List<string>(users.Count);
        foreach (var batch in users.Chunk(WakeInParallel))
        {
            await Task.WhenAll(batch.Select(async userKey =>
            {
                try
                {
                    await GrainFactory.Get<IUserGrain>(GrainKeys.User(_spaceId, userKey)).WakeAsync();
                    lock (woken) woken.Add(userKey);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "Could not wake {UserKey}; trying again on the next tick", userKey);
                }
            }));
        }
        return woken;
    }
}
