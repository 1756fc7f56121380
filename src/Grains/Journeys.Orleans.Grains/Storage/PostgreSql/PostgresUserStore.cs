using System.Globalization;
using System.Text.Json;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.State;
using Journeys.Orleans.Telemetry;
using Journeys.Orleans.Users;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// Users in PostgreSQL, one commit per call: a single statement writes the user's row in <c>journeys_grain_state</c>
/// (the version is the etag), the event destinations' payloads into <c>journeys_event_outbox</c>, the member changes
/// of list destinations into <c>journeys_list_members</c> (the changes of lists synced to a remote list also into
/// <c>journeys_list_changes</c>), and the user's rows of the space's index into <c>journeys_space_index</c> — every part
/// only if the version matched, so a stale writer changes nothing. Concurrent calls of many users are written by one such statement (<see cref="Batcher{TItem,TResult}"/>):
/// every part is an array with one element per row, tagged with its user's place in the batch, so PostgreSQL parses,
/// plans and starts the statement once per batch rather than once per user. The statement's text never varies, so it is
/// parsed once per connection, and planned for each batch's arrays (see <c>UseJourneysPostgres</c>); every lookup is
/// written as a probe of the whole primary key per array element (the removals go through LATERAL: joined plainly, the
/// planner scanned the members of every step for the user's key). Event partitions are then only told of payloads that
/// are already durable.
/// </summary>
public sealed class PostgresUserStore(
    NpgsqlDataSource dataSource, Serializer serializer, string serviceId, PartitionHandOffs handOffs, IGrainFactory grains, JourneysMetrics metrics,
    ILogger<PostgresUserStore> logger)
    : IUserStore, IAsyncDisposable
{
    /// <summary>
    /// Every row is found by a probe of its whole primary key per array element (LATERAL ... OFFSET 0, then its ctid):
    /// joined plainly, the planner hashed all of a space's users for each batch while the table was small enough,
    /// which is every table of a fresh install, and it grows with it.
    /// Users are numbered by their place in the batch (<c>u.n</c>); a user whose version did not match is not in
    /// <c>s</c>, so none of its rows are written. Two writers of one user (a duplicate activation) in one batch: the
    /// update matches one of them, and the insert of a new user takes the first (DISTINCT ON ... ORDER BY n).
    /// </summary>
    private const string Commit = """
        WITH u AS (
          SELECT * FROM unnest($2::text[], $3::integer[], $4::bytea[], $5::text[], $6::text[], $7::text[], $25::text[])
            WITH ORDINALITY AS u(grain_id, v, payload, user_key, user_id, anonymous_id, space_id, n)),
        up AS (
          UPDATE journeys_grain_state g SET version = g.version + 1, payload = u.payload, modified_on = now()
          FROM u
          WHERE g.ctid = ANY (ARRAY(
              SELECT t.ctid FROM u CROSS JOIN LATERAL (
                SELECT ctid FROM journeys_grain_state
                WHERE service_id = $1 AND state_name = 'user' AND grain_id = u.grain_id AND version = u.v
                OFFSET 0) t
              WHERE u.v > 0))
            AND g.grain_id = u.grain_id AND g.version = u.v AND u.v > 0
          RETURNING u.n, g.version),
        fresh AS (
          SELECT DISTINCT ON (grain_id) * FROM u WHERE v = 0 ORDER BY grain_id, n),
        ins AS (
          INSERT INTO journeys_grain_state (service_id, state_name, grain_id, version, payload)
          SELECT $1, 'user', grain_id, 1, payload FROM fresh
          ON CONFLICT DO NOTHING
          RETURNING grain_id, version),
        s AS (
          SELECT n, version FROM up
          UNION ALL
          SELECT fresh.n, ins.version FROM ins JOIN fresh ON fresh.grain_id = ins.grain_id),
        o AS (
          INSERT INTO journeys_event_outbox (service_id, destination_id, message_id, partition, user_key, payload, trace_parent)
          SELECT $1, x.d, x.m, x.p, u.user_key, x.j, x.t
          FROM unnest($8::bigint[], $9::text[], $10::text[], $11::integer[], $12::text[], $23::text[]) WITH ORDINALITY AS x(n, d, m, p, j, t, k)
          JOIN s ON s.n = x.n JOIN u ON u.n = x.n
          ORDER BY x.k
          ON CONFLICT DO NOTHING),
        a AS (
          INSERT INTO journeys_list_members AS lm (service_id, destination_id, step_id, user_key, user_id, anonymous_id, epoch, since, identifiers)
          SELECT $1, x.d, x.st, u.user_key, u.user_id, u.anonymous_id, x.e, x.t, x.i::jsonb
          FROM unnest($13::bigint[], $14::text[], $15::text[], $16::integer[], $17::timestamptz[], $24::text[]) AS x(n, d, st, e, t, i)
          JOIN s ON s.n = x.n JOIN u ON u.n = x.n
          ON CONFLICT (service_id, destination_id, step_id, user_key) DO UPDATE
          SET user_id = EXCLUDED.user_id, anonymous_id = EXCLUDED.anonymous_id, epoch = EXCLUDED.epoch, since = EXCLUDED.since,
              identifiers = EXCLUDED.identifiers
          WHERE lm.epoch < EXCLUDED.epoch OR (lm.epoch = EXCLUDED.epoch AND lm.identifiers IS DISTINCT FROM EXCLUDED.identifiers)
          RETURNING lm.destination_id, lm.step_id, lm.user_key, lm.user_id, lm.anonymous_id, lm.identifiers),
        r AS (
          DELETE FROM journeys_list_members lm
          WHERE lm.ctid = ANY (ARRAY(
            SELECT m.ctid FROM unnest($18::bigint[], $19::text[], $20::text[], $21::integer[]) AS x(n, d, st, e)
            JOIN s ON s.n = x.n JOIN u ON u.n = x.n
            CROSS JOIN LATERAL (
              SELECT ctid FROM journeys_list_members
              WHERE service_id = $1 AND destination_id = x.d AND step_id = x.st AND user_key = u.user_key AND epoch <= x.e
              OFFSET 0) m))
          RETURNING lm.destination_id, lm.step_id, lm.user_key, lm.user_id, lm.anonymous_id, lm.identifiers),
        l AS (
          INSERT INTO journeys_list_changes (service_id, destination_id, step_id, user_key, user_id, anonymous_id, added, identifiers)
          SELECT $1, destination_id, step_id, user_key, user_id, anonymous_id, true, identifiers FROM a WHERE destination_id = ANY($22::text[])
          UNION ALL
          SELECT $1, destination_id, step_id, user_key, user_id, anonymous_id, false, identifiers FROM r WHERE destination_id = ANY($22::text[])),
        ia AS (
          INSERT INTO journeys_space_index AS ix (service_id, space_id, step_id, user_key, user_id, anonymous_id, epoch, since)
          SELECT $1, u.space_id, x.st, u.user_key, u.user_id, u.anonymous_id, x.e, x.t
          FROM unnest($26::bigint[], $27::text[], $28::integer[], $29::timestamptz[]) AS x(n, st, e, t)
          JOIN s ON s.n = x.n JOIN u ON u.n = x.n
          ON CONFLICT (service_id, space_id, step_id, user_key) DO UPDATE
          SET user_id = EXCLUDED.user_id, anonymous_id = EXCLUDED.anonymous_id, epoch = EXCLUDED.epoch, since = EXCLUDED.since
          WHERE ix.epoch < EXCLUDED.epoch),
        ir AS (
          DELETE FROM journeys_space_index ix
          WHERE ix.ctid = ANY (ARRAY(
            SELECT m.ctid FROM unnest($30::bigint[], $31::text[], $32::integer[]) AS x(n, st, e)
            JOIN s ON s.n = x.n JOIN u ON u.n = x.n
            CROSS JOIN LATERAL (
              SELECT ctid FROM journeys_space_index
              WHERE service_id = $1 AND space_id = u.space_id AND step_id = x.st AND user_key = u.user_key AND epoch <= x.e
              OFFSET 0) m)))
        SELECT n, version FROM s
        """;

    /// <summary>Rows a batch holds at most; a user's commit weighs its rows.</summary>
    private const int RowsPerBatch = 2000;

    private readonly Batcher<Pending, int?> _writer = new(
        batch => WriteAsync(dataSource, serviceId, batch), logger, writers: 2, RowsPerBatch, pending => pending.Rows,
        (callers, elapsed) => metrics.Committed("users", callers, elapsed));

    // Users activated at once (a burst of new users, a silo taking over) are read by one statement too.
    private readonly Batcher<string, (int Version, byte[] Payload)?> _reader = new(
        batch => ReadAsync(dataSource, serviceId, batch), logger, writers: 2, RowsPerBatch, _ => 1);

    public bool WritesOnCommit => true;

    public async Task<StoredUser> ReadAsync(GrainId user)
    {
        var row = await _reader.RunAsync(user.ToString());
        return row is var (version, payload)
            ? new StoredUser(serializer.Deserialize<UserState>(payload) ?? new UserState(), version.ToString(CultureInfo.InvariantCulture))
            : new StoredUser(new UserState(), null);
    }

    public async Task<string?> CommitAsync(GrainId user, UserState state, string? etag, IReadOnlyList<DestinationChanges> changes)
    {
        var (spaceId, userKey) = KeyOf(user);
        var indexChanges = LastPerStep(state.IndexChanges);
        var version = await _writer.RunAsync(new Pending(
            user.ToString(), etag is null ? 0 : int.Parse(etag, CultureInfo.InvariantCulture), SerializeWithoutIndexChanges(state),
            spaceId, userKey, state.UserId, state.AnonymousId, changes, indexChanges));
        return version?.ToString(CultureInfo.InvariantCulture)
            ?? throw new InconsistentStateException(
                $"Version conflict writing the user {user}: the stored state changed since it was read.", "unknown", etag ?? "none");
    }

    public Task<string?> FlushAsync(GrainId user, UserState state, string? etag) => CommitAsync(user, state, etag, []);

    /// <summary>The commit wrote them into the index: nothing to tell.</summary>
    public Task HandOffIndexAsync(string spaceId, string userKey, IReadOnlyList<Transition> changes) => Task.CompletedTask;

    public Task HandOffAsync(string userKey, DestinationChanges changes, bool resume)
    {
        // Member rows were written with the user's state: nothing to tell.
        if (changes.Connection.DestinationKind != DestinationKind.Event) return Task.CompletedTask;
        var partition = GrainKeys.DestinationPartition(changes.Connection.DestinationId, changes.Partition);
        // A resumed hand-off reads the rows again, so a payload sent (and deleted) in between is never sent twice.
        return resume ? grains.Get<IEventDeliveryGrain>(partition).ResumeUserAsync(userKey) : handOffs.DeliverAsync(partition, changes.Payloads);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _reader.DisposeAsync();
    }

    private static async Task<IReadOnlyList<(int Version, byte[] Payload)?>> ReadAsync(
        NpgsqlDataSource dataSource, string serviceId, IReadOnlyList<string> grainIds)
    {
        await using var command = dataSource.Command(
            // A probe per id: with "grain_id = ANY($2)" the planner filtered every user of the space instead.
            "SELECT g.grain_id, g.version, g.payload FROM unnest($2::text[]) AS x(id) CROSS JOIN LATERAL (" +
            "SELECT grain_id, version, payload FROM journeys_grain_state WHERE service_id = $1 AND state_name = 'user' AND grain_id = x.id OFFSET 0) g",
            serviceId, grainIds.ToArray());
        var rows = new Dictionary<string, (int Version, byte[] Payload)>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) rows[reader.GetString(0)] = (reader.GetInt32(1), (byte[])reader.GetValue(2));
        }
        return grainIds.Select(id => rows.TryGetValue(id, out var row) ? row : ((int, byte[])?)null).ToList();
    }

    /// <summary>One statement for the whole batch; returns each user's new version, or null where it did not match.</summary>
    private static async Task<IReadOnlyList<int?>> WriteAsync(NpgsqlDataSource dataSource, string serviceId, IReadOnlyList<Pending> batch)
    {
        var payloads = new List<(long N, string Destination, OutgoingPayload Payload, int Partition)>();
        var added = new List<(long N, string Destination, Transition Transition, string? Identifiers)>();
        var removed = new List<(long N, string Destination, Transition Transition)>();
        var logged = new HashSet<string>(StringComparer.Ordinal);
        var indexed = new List<(long N, Transition Change)>();
        var unindexed = new List<(long N, Transition Change)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var n = i + 1L;
            foreach (var change in batch[i].IndexChanges)
                (change.Direction == TransitionDirection.Entered ? indexed : unindexed).Add((n, change));
            foreach (var change in batch[i].Changes)
            {
                var connection = change.Connection;
                if (connection.DestinationKind == DestinationKind.Event)
                {
                    payloads.AddRange(change.Payloads.Select(p => (n, connection.DestinationId, p, change.Partition)));
                    continue;
                }
                var identifiers = change.Identifiers is null ? null : JsonSerializer.Serialize(change.Identifiers);
                foreach (var member in change.Members)
                {
                    if (member.Direction == TransitionDirection.Entered) added.Add((n, connection.DestinationId, member, identifiers));
                    else removed.Add((n, connection.DestinationId, member));
                }
                if (!connection.ChangesUnsynced) logged.Add(connection.DestinationId);
            }
        }

        await using var command = dataSource.Command(Commit,
            serviceId,
            batch.Select(p => p.GrainId).ToArray(),
            batch.Select(p => p.ExpectedVersion).ToArray(),
            batch.Select(p => p.State).ToArray(),
            batch.Select(p => p.UserKey).ToArray(),
            batch.Select(p => p.UserId).ToArray(),
            batch.Select(p => p.AnonymousId).ToArray(),
            payloads.Select(p => p.N).ToArray(),
            payloads.Select(p => p.Destination).ToArray(),
            payloads.Select(p => p.Payload.MessageId).ToArray(),
            payloads.Select(p => p.Partition).ToArray(),
            payloads.Select(p => p.Payload.Json).ToArray(),
            added.Select(m => m.N).ToArray(),
            added.Select(m => m.Destination).ToArray(),
            added.Select(m => m.Transition.StepId).ToArray(),
            added.Select(m => m.Transition.Epoch).ToArray(),
            added.Select(m => m.Transition.OccurredAt.ToUniversalTime()).ToArray(),
            removed.Select(m => m.N).ToArray(),
            removed.Select(m => m.Destination).ToArray(),
            removed.Select(m => m.Transition.StepId).ToArray(),
            removed.Select(m => m.Transition.Epoch).ToArray(),
            logged.ToArray(),
            payloads.Select(p => p.Payload.TraceParent).ToArray(),
            added.Select(m => m.Identifiers).ToArray(),
            batch.Select(p => p.SpaceId).ToArray(),
            indexed.Select(x => x.N).ToArray(),
            indexed.Select(x => x.Change.StepId).ToArray(),
            indexed.Select(x => x.Change.Epoch).ToArray(),
            indexed.Select(x => x.Change.OccurredAt.ToUniversalTime()).ToArray(),
            unindexed.Select(x => x.N).ToArray(),
            unindexed.Select(x => x.Change.StepId).ToArray(),
            unindexed.Select(x => x.Change.Epoch).ToArray());

        var versions = new int?[batch.Count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) versions[reader.GetInt64(0) - 1] = reader.GetInt32(1);
        return versions;
    }

    /// <summary>One user's call waiting for its batch.</summary>
    private sealed record Pending(
        string GrainId, int ExpectedVersion, byte[] State, string SpaceId, string UserKey, string? UserId, string? AnonymousId,
        IReadOnlyList<DestinationChanges> Changes, IReadOnlyList<Transition> IndexChanges)
    {
        /// <summary>The rows this call writes: its state, each payload and member change, and its index rows.</summary>
        public int Rows { get; } = 1 + Changes.Sum(c => c.Payloads.Count + c.Members.Count) + IndexChanges.Count;
    }

    /// <summary>
    /// The state as stored: the index changes it holds are written into the index by this same commit, so the row
    /// does not keep them too (the grain drops them once it has "told" the index, which here is nothing).
    /// </summary>
    private byte[] SerializeWithoutIndexChanges(UserState state)
    {
        if (state.IndexChanges.Count == 0) return serializer.SerializeToArray(state);
        var pending = state.IndexChanges;
        state.IndexChanges = [];
        try
        {
            return serializer.SerializeToArray(state);
        }
        finally
        {
            state.IndexChanges = pending;
        }
    }

    private static (string SpaceId, string UserKey) KeyOf(GrainId user)
    {
        var key = user.Key.ToString();
        var slash = key.IndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>
    /// Per step, the user's last change only: it is where the index must end up (an entry replaces only an older epoch,
    /// an exit removes only up to its own), and one statement must not change one row twice.
    /// </summary>
    private static IReadOnlyList<Transition> LastPerStep(List<Transition> changes) =>
        changes.Count switch
        {
            0 => [],
            1 => [changes[0]],
            _ => changes.GroupBy(c => c.StepId, StringComparer.Ordinal).Select(step => step.Last()).ToList(),
        };
}
