using Journeys.Orleans.Domain;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Members;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Grains;

[GrainType("destination")]
public sealed class DestinationGrain(
    [PersistentState("destination", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<DestinationState> state,
    IListMembers listMembers,
    Microsoft.Extensions.Options.IOptions<JourneysOptions> options)
    : Grain, IDestinationGrain
{
    /// <summary>The largest page of members one call returns.</summary>
    public const int MaxPageSize = 1000;

    private const int FailuresShown = 20;

    private string DestinationId => this.GetPrimaryKeyString();

    public async Task<DestinationInfo> CreateAsync(string spaceId, DestinationDefinition definition, int partitions)
    {
        if (state.State.Created) throw new InvalidOperationException($"Destination {DestinationId} already exists.");
        DefinitionRules.Check(definition);
        Connectors.OutgoingAddressPolicy.From(options.Value).Check(definition);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        if (definition.ListSyncUrl is not null && !listMembers.KeepsChangeLog)
            throw new JourneysValidationException("listSyncUrl", "syncing a remote list needs PostgreSQL (set ConnectionStrings:Journeys)");

        state.State = new DestinationState { Created = true, SpaceId = spaceId, Definition = definition, Partitions = partitions };
        await state.WriteStateAsync();
        return Info();
    }

    public Task<DestinationInfo> GetAsync()
    {
        EnsureCreated();
        return Task.FromResult(Info());
    }

    public async Task<DestinationInfo> PauseAsync() => await SetPausedAsync(true);

    public async Task<DestinationInfo> ResumeAsync() => await SetPausedAsync(false);

    public async Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(int limit)
    {
        EnsureEvent();
        if (limit is < 1 or > MaxPageSize)
            throw new JourneysValidationException("limit", $"must be between 1 and {MaxPageSize} (got {limit})");
        var letters = await Task.WhenAll(EventPartitions().Select(p => p.GetDeadLettersAsync()));
        return letters.SelectMany(l => l).OrderBy(l => l.FailedAt).ThenBy(l => l.MessageId, StringComparer.Ordinal).Take(limit).ToList();
    }

    public async Task<ReplayResult> ReplayAsync(IReadOnlyList<string>? messageIds)
    {
        EnsureEvent();
        var results = await Task.WhenAll(EventPartitions().Select(p => p.ReplayAsync(messageIds)));
        return results.Aggregate(ReplayResult.None, (sum, result) => sum + result);
    }

    public async Task ResyncAsync(string stepId)
    {
        await ListSync(stepId).ResyncAsync();
    }

    public Task<ListSyncStatus> GetListSyncAsync(string stepId) => ListSync(stepId).GetStatusAsync();

    private IListSyncGrain ListSync(string stepId)
    {
        EnsureList();
        if (state.State.Definition.ListSyncUrl is null)
            throw new JourneysValidationException("destinationId", $"{DestinationId} has no listSyncUrl: it keeps its members but syncs no remote list");
        if (string.IsNullOrWhiteSpace(stepId))
            throw new JourneysValidationException("stepId", "is required");
        return GrainFactory.Get<IListSyncGrain>(GrainKeys.ListSync(DestinationId, stepId));
    }

    private async Task<DestinationInfo> SetPausedAsync(bool paused)
    {
        EnsureEvent();
        if (state.State.Paused != paused)
        {
            state.State.Paused = paused;
            await state.WriteStateAsync();
        }
        await Task.WhenAll(EventPartitions().Select(p => p.SetPausedAsync(paused)));
        return Info();
    }

    private IEnumerable<IEventDeliveryGrain> EventPartitions() =>
        Enumerable.Range(0, state.State.Partitions).Select(p => GrainFactory.Get<IEventDeliveryGrain>(Partition(p)));

    private void EnsureEvent()
    {
        EnsureCreated();
        if (state.State.Definition.Kind != DestinationKind.Event)
            throw new JourneysValidationException("destinationId", $"{DestinationId} is a list destination; only event destinations send calls");
    }

    public Task<MemberPage> GetMembersAsync(string stepId, string? pageToken, int pageSize)
    {
        EnsureList();
        return listMembers.GetPageAsync(DestinationId, state.State.Partitions, stepId, pageToken, pageSize);
    }

    public Task<long> CountMembersAsync(string stepId)
    {
        EnsureList();
        return listMembers.CountAsync(DestinationId, state.State.Partitions, stepId);
    }

    public async Task<DeliveryStats> GetDeliveryStatsAsync()
    {
        EnsureCreated();
        var partitions = Enumerable.Range(0, state.State.Partitions);
        var stats = state.State.Definition.Kind == DestinationKind.Event
            ? await Task.WhenAll(partitions.Select(p => GrainFactory.Get<IEventDeliveryGrain>(Partition(p)).GetStatsAsync()))
            : await Task.WhenAll(partitions.Select(p => ListPartition(p).GetStatsAsync()));
        return new DeliveryStats
        {
            Received = stats.Sum(s => s.Received),
            Delivered = stats.Sum(s => s.Delivered),
            Failed = stats.Sum(s => s.Failed),
            Pending = stats.Sum(s => s.Pending),
            PendingRetry = stats.Sum(s => s.PendingRetry),
            Retries = stats.Sum(s => s.Retries),
            Skipped = stats.Sum(s => s.Skipped),
            LastFailures = stats.SelectMany(s => s.LastFailures).OrderBy(f => f.At).TakeLast(FailuresShown).ToList(),
        };
    }

    private IListMembersGrain ListPartition(int partition) => GrainFactory.Get<IListMembersGrain>(Partition(partition));

    private string Partition(int partition) => GrainKeys.DestinationPartition(DestinationId, partition);

    private DestinationInfo Info() => new()
    {
        Id = DestinationId,
        SpaceId = state.State.SpaceId,
        Name = state.State.Definition.Name,
        Kind = state.State.Definition.Kind,
        Connector = state.State.Definition.Connector,
        // Shown URLs never carry the credentials or tokens a stored one may hold.
        WebhookUrl = SecretUrls.Masked(state.State.Definition.WebhookUrl),
        HeaderNames = state.State.Definition.Headers.Keys.ToList(),
        Partitions = state.State.Partitions,
        Signed = !string.IsNullOrEmpty(state.State.Definition.SigningSecret),
        Paused = state.State.Paused,
        MaxRetryDuration = state.State.Definition.MaxRetryDuration ?? options.Value.RetryMaxDuration,
        BatchSize = state.State.Definition.BatchSize,
        SegmentHost = SecretUrls.Masked(state.State.Definition.SegmentHost),
        ListSyncUrl = SecretUrls.Masked(state.State.Definition.ListSyncUrl),
    };

    private void EnsureCreated()
    {
        if (!state.State.Created) throw new JourneysNotFoundException("destination", DestinationId);
    }

    private void EnsureList()
    {
        EnsureCreated();
        if (state.State.Definition.Kind != DestinationKind.List)
            throw new JourneysValidationException("destinationId", $"{DestinationId} is an event destination; only list destinations keep members");
    }
}
