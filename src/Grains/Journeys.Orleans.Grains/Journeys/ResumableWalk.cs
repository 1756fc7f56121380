namespace Journeys.Orleans.Grains;

/// <summary>
/// Drives a grain's long walk one step per grain-timer tick while it has work left, so that the grain answers calls
/// (its status) between steps without interleaving, and keeps a reminder meanwhile, which brings the walk back after a
/// crash or restart. The timer and the reminder go once nothing is left. Used from its grain only.
/// </summary>
internal sealed class ResumableWalk(Grain grain, string reminderName, TimeSpan reminderPeriod, Func<bool> pending, Func<Task> step)
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(10);

    private IGrainTimer? _timer;

    /// <summary>Starts the walk: the reminder first, so that a crash from here on brings it back.</summary>
    public async Task StartAsync()
    {
        await grain.RegisterOrUpdateReminder(reminderName, reminderPeriod, reminderPeriod);
        Resume();
    }

    /// <summary>Ticks again (after an activation), if not ticking already.</summary>
    public void Resume() => _timer ??= grain.RegisterGrainTimer(_ => TickAsync(), TimeSpan.Zero, TickPeriod);

    /// <summary>The reminder came: the walk goes on if it has work left, and the reminder goes if not.</summary>
    public async Task RemindedAsync()
    {
        if (pending()) Resume();
        else await ForgetReminderAsync();
    }

    private async Task TickAsync()
    {
        if (pending())
        {
            await step();
            return;
        }
        _timer?.Dispose();
        _timer = null;
        await ForgetReminderAsync();
    }

    private async Task ForgetReminderAsync()
    {
        if (await grain.GetReminder(reminderName) is { } reminder) await grain.UnregisterReminder(reminder);
    }
}
