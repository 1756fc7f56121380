using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Hosting;

/// <summary>Refuses settings that cannot work, naming the setting and the reason.</summary>
internal sealed class JourneysOptionsValidator : IValidateOptions<JourneysOptions>
{
    public ValidateOptionsResult Validate(string? name, JourneysOptions options)
    {
        var failures = new List<string>();
        if (options.DestinationPartitions is < 1 or > 256)
            failures.Add($"Journeys:DestinationPartitions must be between 1 and 256 (got {options.DestinationPartitions}).");
        if (options.DeliveryInFlightLimit is < 1 or > 10_000)
            failures.Add($"Journeys:DeliveryInFlightLimit must be between 1 and 10000 (got {options.DeliveryInFlightLimit}).");
        if (options.WebhookTimeout <= TimeSpan.Zero || options.WebhookTimeout > TimeSpan.FromMinutes(5))
            failures.Add($"Journeys:WebhookTimeout must be above 0 and at most 5 minutes (got {options.WebhookTimeout}).");
        if (options.RecentTransitionsKept is < 0 or > 1000)
            failures.Add($"Journeys:RecentTransitionsKept must be between 0 and 1000 (got {options.RecentTransitionsKept}).");
        if (options.RedeliveryDelay <= TimeSpan.Zero)
            failures.Add($"Journeys:RedeliveryDelay must be above 0 (got {options.RedeliveryDelay}).");
        if (options.RetryFirstDelay <= TimeSpan.Zero || options.RetryLongestDelay < options.RetryFirstDelay)
            failures.Add($"Journeys:RetryFirstDelay must be above 0 and at most Journeys:RetryLongestDelay (got {options.RetryFirstDelay} and {options.RetryLongestDelay}).");
        if (options.RetryMaxDuration <= TimeSpan.Zero)
            failures.Add($"Journeys:RetryMaxDuration must be above 0 (got {options.RetryMaxDuration}).");
        if (options.CircuitBreakDuration < TimeSpan.FromSeconds(0.5))
            failures.Add($"Journeys:CircuitBreakDuration must be at least 0.5 seconds (got {options.CircuitBreakDuration}).");
        if (options.WakePartitions is < 1 or > 256)
            failures.Add($"Journeys:WakePartitions must be between 1 and 256 (got {options.WakePartitions}).");
        if (options.WakeCheckPeriod <= TimeSpan.Zero || options.LongestWakeWait <= TimeSpan.Zero)
            failures.Add("Journeys:WakeCheckPeriod and Journeys:LongestWakeWait must be above 0.");
        if (options.ResumeReminderPeriod <= TimeSpan.Zero)
            failures.Add($"Journeys:ResumeReminderPeriod must be above 0 (got {options.ResumeReminderPeriod}).");
        if (options.HistoryFlushInterval < TimeSpan.FromSeconds(0.1) || options.HistoryFlushInterval > TimeSpan.FromMinutes(10))
            failures.Add($"Journeys:HistoryFlushInterval must be between 0.1 seconds and 10 minutes (got {options.HistoryFlushInterval}).");
        if (options.HistoryRetention < TimeSpan.FromDays(1))
            failures.Add($"Journeys:HistoryRetention must be at least a day (got {options.HistoryRetention}).");
        foreach (var network in options.AllowedNetworks.Where(n => !Connectors.OutgoingAddressPolicy.TryParseNetwork(n, out _)))
            failures.Add($"Journeys:AllowedNetworks must list networks as CIDRs such as 127.0.0.0/8 or ::1/128 (got '{network}').");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
