using System.Text.Json;
using Journeys.Orleans.Connectors;
using Journeys.Orleans.Delivery;
using Journeys.Orleans.Hosting;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;
using Journeys.Orleans.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Grains;

/// <summary>
/// Keeps a remote list equal to a step's members (contract in the README): <c>POST {url}/lists</c> creates it,
/// <c>POST {url}/lists/{id}/changes</c> takes batches of additions and removals read from the change log in order,
/// <c>POST {url}/lists/{id}/mirror</c> takes the whole list page by page. Changes are pushed when the interval has
/// passed since the last push, or as soon as a full batch is waiting. A 404 means the remote list is gone: it is
/// created again and mirrored. A timer drives it while active; a reminder brings it back after a restart. Only with
/// PostgreSQL, which keeps the change log (a destination with a remote list is refused on the embedded default).
/// </summary>
[GrainType("listsync")]
public sealed class ListSyncGrain(
    [PersistentState("listSync", JourneysSiloBuilderExtensions.StorageName)] IPersistentState<ListSyncState> state,
    IListMemberRows rows,
    StoredDestinations destinations,
    Catalog.StoredDefinitions definitions,
    IHttpClientFactory httpClients,
    IOptions<JourneysOptions> options,
    TimeProvider clock,
    ILogger<ListSyncGrain> logger)
    : Grain, IListSyncGrain, IRemindable
{
    private const string SyncReminder = "sync";
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private string _destinationId = "";
    private string _stepId = "";
    private string _stepKey = "";
    private DestinationDefinition _destination = new();
    private IGrainTimer? _timer;
    private DateTimeOffset _lastPush = DateTimeOffset.MinValue;
    private long _changesPushed;
    private int _mirrors;
    private DateTimeOffset? _lastSyncAt;
    private string? _lastError;

    // In memory, not in the state: a mirror cut short by a restart begins again from the first page, and is counted again.
    private long _mirrorTotal;
    private long _mirrorDone;
    private DateTimeOffset? _mirrorStartedAt;
    private DateTimeOffset? _mirrorFinishedAt;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var parts = this.GetPrimaryKeyString().Split('/');
        _destinationId = parts[0];
        _stepId = parts[2];
        _destination = (await destinations.ReadAsync(_destinationId)).Definition;
        // From storage, not the step grain: the step's connect is what starts (and so activates) this sync.
        _stepKey = (await definitions.ReadStepAsync(_stepId))?.Key ?? throw new JourneysNotFoundException("step", _stepId);
        if (state.State.Started) StartTimer();
    }

    public async Task StartAsync()
    {
        if (state.State.Started) return;
        state.State.Started = true;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(SyncReminder, options.Value.ResumeReminderPeriod, options.Value.ResumeReminderPeriod);
        StartTimer();
        logger.LogInformation("List sync of step {StepKey} to destination {DestinationId} started", _stepKey, _destinationId);
    }

    public async Task ResyncAsync()
    {
        await StartAsync();
        state.State.MirrorWanted = true;
        await state.WriteStateAsync();
        await SyncAsync();
    }

    public Task<ListSyncStatus> GetStatusAsync() => Task.FromResult(new ListSyncStatus
    {
        ExternalListId = state.State.ExternalListId,
        SyncedThrough = state.State.SyncedThrough,
        ChangesPushed = _changesPushed,
        Mirrors = _mirrors,
        LastSyncAt = _lastSyncAt,
        LastError = _lastError,
        Mirror = _mirrorStartedAt is { } started
            ? ProgressMeter.Measure(WorkKind.ListMirror, _mirrorDone, _mirrorTotal, started, _mirrorFinishedAt, clock.GetUtcNow())
            : null,
    });

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private TimeSpan Interval => _destination.ListSyncInterval ?? DefaultInterval;

    private void StartTimer()
    {
        // Look five times per interval, so that a full batch does not wait for the interval to end.
        var look = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, Interval.Ticks / 5));
        _timer ??= this.RegisterGrainTimer(_ => TickAsync(), look, look);
    }

    private async Task TickAsync()
    {
        if (clock.GetUtcNow() - _lastPush < Interval
            && state.State.ExternalListId is not null && !state.State.MirrorWanted
            && await rows.CountChangesAsync(_destinationId, _stepId, _destination.ListSyncBatchSize) < _destination.ListSyncBatchSize)
            return;
        await SyncAsync();
    }

    private async Task SyncAsync()
    {
        try
        {
            if (state.State.ExternalListId is null && !await CreateRemoteListAsync()) return;
            if (state.State.MirrorWanted && !await MirrorAsync()) return;
            while (true)
            {
                var changes = await rows.ReadChangesAsync(_destinationId, _stepId, _destination.ListSyncBatchSize);
                if (changes.Count == 0) break;
                if (!await PushChangesAsync(changes)) return;
                await rows.ForgetChangesAsync(_destinationId, _stepId, changes.Select(c => c.Sequence).ToList());
                _changesPushed += changes.Count;
                state.State.SyncedThrough = Math.Max(state.State.SyncedThrough, changes[^1].Sequence);
                if (changes.Count < _destination.ListSyncBatchSize) break;
            }
            _lastSyncAt = _lastPush = clock.GetUtcNow();
            _lastError = null;
        }
        catch (Exception ex)
        {
            _lastError = $"{ex.GetType().Name}: {ex.Message}";
            if (_mirrorFinishedAt is null) _mirrorStartedAt = null;
            logger.LogWarning(ex, "List sync of step {StepKey} to destination {DestinationId} failed; it tries again", _stepKey, _destinationId);
        }
    }

    private async Task<bool> CreateRemoteListAsync()
    {
        var body = JsonSerializer.Serialize(new
        {
            name = $"{_destination.Name} / {_stepKey}",
            destinationId = _destinationId,
            stepId = _stepId,
            stepKey = _stepKey,
        });
        var answer = await PostAsync("/lists", body);
        if (answer.Status is not (>= 200 and < 300) || answer.Response is null) return Failed("creating the remote list", answer);
        using var created = JsonDocument.Parse(answer.Response);
        state.State.ExternalListId = created.RootElement.GetProperty("id").GetString();
        state.State.MirrorWanted = true;
        await state.WriteStateAsync();
        logger.LogInformation("List sync of step {StepKey} created remote list {ExternalListId}", _stepKey, state.State.ExternalListId);
        return true;
    }

    private async Task<bool> MirrorAsync()
    {
        var listId = state.State.ExternalListId!;
        string? after = null;
        var first = true;
        _mirrorTotal = await rows.CountAsync(_destinationId, _stepId);
        _mirrorDone = 0;
        _mirrorStartedAt = clock.GetUtcNow();
        _mirrorFinishedAt = null;
        while (true)
        {
            var page = await rows.GetPageAsync(_destinationId, _stepId, after, _destination.ListSyncBatchSize);
            var last = page.Count < _destination.ListSyncBatchSize;
            var body = JsonSerializer.Serialize(new
            {
                listId,
                first,
                last,
                members = page.Select(m => new { userKey = m.UserKey, userId = m.UserId, anonymousId = m.AnonymousId, identifiers = m.Identifiers }),
            });
            var answer = await PostAsync($"/lists/{Uri.EscapeDataString(listId)}/mirror", body);
            if (!await AcceptedAsync(answer, "mirroring the list"))
            {
                // The next attempt mirrors from the first page again and counts again: no half mirror stays "running".
                _mirrorStartedAt = null;
                return false;
            }
            _mirrorDone += page.Count;
            if (last) break;
            after = page[^1].UserKey;
            first = false;
        }
        state.State.MirrorWanted = false;
        await state.WriteStateAsync();
        _mirrors++;
        _mirrorFinishedAt = clock.GetUtcNow();
        return true;
    }

    private async Task<bool> PushChangesAsync(IReadOnlyList<ListChange> changes)
    {
        // Within a batch the latest change of each user wins.
        var latest = changes.GroupBy(c => c.UserKey).Select(g => g.MaxBy(c => c.Sequence)!).ToList();
        var listId = state.State.ExternalListId!;
        var body = JsonSerializer.Serialize(new
        {
            listId,
            add = latest.Where(c => c.Added).Select(c => new { userKey = c.UserKey, userId = c.UserId, anonymousId = c.AnonymousId, identifiers = c.Identifiers }),
            remove = latest.Where(c => !c.Added).Select(c => new { userKey = c.UserKey, userId = c.UserId, anonymousId = c.AnonymousId, identifiers = c.Identifiers }),
        });
        var answer = await PostAsync($"/lists/{Uri.EscapeDataString(listId)}/changes", body);
        return await AcceptedAsync(answer, "pushing changes");
    }

    private async Task<bool> AcceptedAsync(JsonPoster.Answer answer, string doing)
    {
        if (answer.Status is >= 200 and < 300) return true;
        if (answer.Status == 404)
        {
            logger.LogWarning("Remote list {ExternalListId} of step {StepKey} is gone: creating it again and sending the whole list", state.State.ExternalListId, _stepKey);
            state.State.ExternalListId = null;
            state.State.MirrorWanted = true;
            await state.WriteStateAsync();
            return false;
        }
        return Failed(doing, answer);
    }

    private bool Failed(string doing, JsonPoster.Answer answer)
    {
        _lastError = $"{doing}: {answer.Detail}";
        logger.LogWarning("List sync of step {StepKey} failed {Doing}: {Detail}", _stepKey, doing, answer.Detail);
        return false;
    }

    private Task<JsonPoster.Answer> PostAsync(string path, string body) =>
        JsonPoster.PostAsync(httpClients.CreateClient(WebhookConnector.HttpClientName),
            _destination.ListSyncUrl!.TrimEnd('/') + path, body, _destination.Headers, CancellationToken.None);
}
