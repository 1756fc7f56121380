namespace Journeys.Orleans.Interfaces;

/// <summary>
/// Users of a space to wake in one minute, one partition of them: a user waiting on a delay costs a row here and no
/// active grain. Each bucket keeps one reminder while it has users. Keyed by <c>{spaceId}/wake/{unixMinute}/{partition}</c>.
/// </summary>
[Alias("journeys.IWakeSchedulerGrain")]
public interface IWakeSchedulerGrain : IGrainWithStringKey
{
    /// <summary>Wakes <paramref name="userKey"/> once the bucket's minute has come.</summary>
    [Alias("Schedule")]
    Task ScheduleAsync(string userKey);
}
