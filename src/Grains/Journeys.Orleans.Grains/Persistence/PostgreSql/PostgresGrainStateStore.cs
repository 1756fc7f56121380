using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;

namespace Journeys.Orleans.Persistence.PostgreSql;

/// <summary>
/// Grain storage for the hot per-user state: one row per grain in <c>journeys_grain_state</c>, Orleans' binary
/// serializer (version-tolerant through the state classes' [Id]s), the row version as the etag, and every write
/// group-committed with other grains' writes. A write whose etag no longer matches fails with
/// <see cref="InconsistentStateException"/>, so two activations can never overwrite each other.
/// </summary>
public sealed class PostgresGrainStateStore(
    NpgsqlDataSource dataSource, PostgresGroupCommit groupCommit, Serializer serializer, string serviceId) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var command = dataSource.Command(
            "SELECT version, payload FROM journeys_grain_state WHERE service_id = $1 AND state_name = $2 AND grain_id = $3",
            serviceId, stateName, grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.ETag = reader.GetInt32(0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.State = serializer.Deserialize<T>((byte[])reader.GetValue(1));
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.SerializeToArray(grainState.State);
        var statement = grainState.ETag is null
            ? new Statement(
                "INSERT INTO journeys_grain_state (service_id, state_name, grain_id, version, payload) VALUES ($1, $2, $3, 1, $4) " +
                "ON CONFLICT DO NOTHING RETURNING version",
                serviceId, stateName, grainId.ToString(), payload)
            : new Statement(
                "UPDATE journeys_grain_state SET version = version + 1, payload = $4, modified_on = now() " +
                "WHERE service_id = $1 AND state_name = $2 AND grain_id = $3 AND version = $5 RETURNING version",
                serviceId, stateName, grainId.ToString(), payload, int.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture));

        var version = (await groupCommit.ExecuteAsync([statement]))[0]
            ?? throw new InconsistentStateException(
                $"Version conflict writing {stateName} of {grainId}: the stored state changed since it was read.", "unknown", grainState.ETag ?? "none");
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is not null)
        {
            var deleted = (await groupCommit.ExecuteAsync([new Statement(
                "DELETE FROM journeys_grain_state WHERE service_id = $1 AND state_name = $2 AND grain_id = $3 AND version = $4 RETURNING 0",
                serviceId, stateName, grainId.ToString(), int.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture))]))[0];
            if (deleted is null)
                throw new InconsistentStateException($"Version conflict clearing {stateName} of {grainId}.", "unknown", grainState.ETag);
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
    }
}
