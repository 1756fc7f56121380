using System.Globalization;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Users;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// Users in PostgreSQL, one commit per call: a single statement writes the user's row in <c>journeys_grain_state</c>
/// (the version is the etag), the event destinations' payloads into <c>journeys_event_outbox</c>, and the member changes
/// of list destinations and of the space's index into <c>journeys_list_members</c> (the changes of lists synced to a
/// remote list also into <c>journeys_list_changes</c>) — every part only if the version matched, so a stale writer changes
/// nothing. The statement's text never varies, so PostgreSQL plans it once per connection. That plan is generic, so
/// every lookup is written to stay a probe of the whole primary key per array element (the removals go through
/// LATERAL: joined plainly, a generic plan scanned the members of every step for the user's key); many users'
/// statements are group-committed together. Event partitions are then only told of payloads that are already durable.
/// </summary>
public sealed class PostgresUserStore(NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, Serializer serializer, string serviceId) : IUserStore
{
    private const string StateName = "user";

    private const string Changes = """
        o AS (
          INSERT INTO journeys_event_outbox (service_id, destination_id, message_id, partition, user_key, payload)
          SELECT $1, x.d, x.m, x.p, $6, x.j FROM unnest($7::text[], $8::text[], $9::integer[], $10::text[]) WITH ORDINALITY AS x(d, m, p, j, n)
          WHERE EXISTS (SELECT 1 FROM s) ORDER BY x.n
          ON CONFLICT DO NOTHING),
        a AS (
          INSERT INTO journeys_list_members AS lm (service_id, destination_id, step_id, user_key, user_id, anonymous_id, epoch, since)
          SELECT $1, x.d, x.st, $6, $11::text, $12::text, x.e, x.t FROM unnest($13::text[], $14::text[], $15::integer[], $16::timestamptz[]) AS x(d, st, e, t)
          WHERE EXISTS (SELECT 1 FROM s)
          ON CONFLICT (service_id, destination_id, step_id, user_key) DO UPDATE
          SET user_id = EXCLUDED.user_id, anonymous_id = EXCLUDED.anonymous_id, epoch = EXCLUDED.epoch, since = EXCLUDED.since
          WHERE lm.epoch < EXCLUDED.epoch
          RETURNING lm.destination_id, lm.step_id, lm.user_id, lm.anonymous_id),
        r AS (
          DELETE FROM journeys_list_members lm
          WHERE lm.ctid = ANY (ARRAY(
            SELECT m.ctid FROM unnest($17::text[], $18::text[], $19::integer[]) AS x(d, st, e)
            CROSS JOIN LATERAL (
              SELECT ctid FROM journeys_list_members
              WHERE service_id = $1 AND destination_id = x.d AND step_id = x.st AND user_key = $6 AND epoch <= x.e
              OFFSET 0) m
            WHERE EXISTS (SELECT 1 FROM s)))
          RETURNING lm.destination_id, lm.step_id, lm.user_id, lm.anonymous_id),
        l AS (
          INSERT INTO journeys_list_changes (service_id, destination_id, step_id, user_key, user_id, anonymous_id, added)
          SELECT $1, destination_id, step_id, $6, user_id, anonymous_id, true FROM a WHERE destination_id = ANY($20::text[])
          UNION ALL
          SELECT $1, destination_id, step_id, $6, user_id, anonymous_id, false FROM r WHERE destination_id = ANY($20::text[]))
        SELECT version FROM s
        """;

    private const string Insert =
        "WITH s AS (INSERT INTO journeys_grain_state (service_id, state_name, grain_id, version, payload) " +
        "VALUES ($1, $2, $3, 1, $4) ON CONFLICT DO NOTHING RETURNING version + 0 * $5 AS version),\n" + Changes;

    private const string Update =
        "WITH s AS (UPDATE journeys_grain_state SET version = version + 1, payload = $4, modified_on = now() " +
        "WHERE service_id = $1 AND state_name = $2 AND grain_id = $3 AND version = $5 RETURNING version),\n" + Changes;

    public bool WritesOnCommit => true;

    public async Task<StoredUser> ReadAsync(GrainId user)
    {
        await using var command = dataSource.Command(
            "SELECT version, payload FROM journeys_grain_state WHERE service_id = $1 AND state_name = $2 AND grain_id = $3",
            serviceId, StateName, user.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return new StoredUser(new UserState(), null);
        return new StoredUser(
            serializer.Deserialize<UserState>((byte[])reader.GetValue(1)) ?? new UserState(),
            reader.GetInt32(0).ToString(CultureInfo.InvariantCulture));
    }

    public async Task<string?> CommitAsync(GrainId user, UserState state, string? etag, IReadOnlyList<DestinationChanges> changes)
    {
        var events = changes.Where(c => c.Connection.DestinationKind == DestinationKind.Event).ToList();
        var payloads = events.SelectMany(c => c.Payloads.Select(p => (c.Connection.DestinationId, c.Partition, Payload: p))).ToList();
        var members = changes.Where(c => c.Connection.DestinationKind == DestinationKind.List)
            .SelectMany(c => c.Members.Select(t => (c.Connection.DestinationId, Transition: t))).ToList();
        var added = members.Where(m => m.Transition.Direction == TransitionDirection.Entered).ToList();
        var removed = members.Where(m => m.Transition.Direction == TransitionDirection.Exited).ToList();

        var version = (await groupCommit.ExecuteAsync([new Statement(
            etag is null ? Insert : Update,
            serviceId, StateName, user.ToString(), serializer.SerializeToArray(state),
            etag is null ? 0 : int.Parse(etag, CultureInfo.InvariantCulture),
            UserKeyOf(user),
            payloads.Select(p => p.DestinationId).ToArray(),
            payloads.Select(p => p.Payload.MessageId).ToArray(),
            payloads.Select(p => p.Partition).ToArray(),
            payloads.Select(p => p.Payload.Json).ToArray(),
            state.UserId, state.AnonymousId,
            added.Select(m => m.DestinationId).ToArray(),
            added.Select(m => m.Transition.StepId).ToArray(),
            added.Select(m => m.Transition.Epoch).ToArray(),
            added.Select(m => m.Transition.OccurredAt.ToUniversalTime()).ToArray(),
            removed.Select(m => m.DestinationId).ToArray(),
            removed.Select(m => m.Transition.StepId).ToArray(),
            removed.Select(m => m.Transition.Epoch).ToArray(),
            changes.Where(c => c.Connection.DestinationKind == DestinationKind.List && !c.Connection.ChangesUnsynced)
                .Select(c => c.Connection.DestinationId).ToArray())]))[0];

        return version?.ToString(CultureInfo.InvariantCulture)
            ?? throw new InconsistentStateException(
                $"Version conflict writing the user {user}: the stored state changed since it was read.", "unknown", etag ?? "none");
    }

    public Task<string?> FlushAsync(GrainId user, UserState state, string? etag) => CommitAsync(user, state, etag, []);

    public Task HandOffAsync(IGrainFactory grains, string userKey, DestinationChanges changes, bool resume)
    {
        // Member rows were written with the user's state: nothing to tell.
        if (changes.Connection.DestinationKind != DestinationKind.Event) return Task.CompletedTask;
        var partition = grains.GetGrain<IEventDeliveryGrain>(GrainKeys.DestinationPartition(changes.Connection.DestinationId, changes.Partition));
        // A resumed hand-off reads the rows again, so a payload sent (and deleted) in between is never sent twice.
        return resume ? partition.ResumeUserAsync(userKey) : partition.DeliverAsync(changes.Payloads);
    }

    private static string UserKeyOf(GrainId user)
    {
        var key = user.Key.ToString();
        return key[(key.IndexOf('/') + 1)..];
    }
}
