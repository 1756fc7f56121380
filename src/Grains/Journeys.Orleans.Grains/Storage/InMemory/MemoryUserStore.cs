using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.SpaceIndex;
using Journeys.Orleans.State;
using Orleans.Storage;

namespace Journeys.Orleans.Users;

/// <summary>
/// The embedded default: a user's state lives in its activation and is written to Orleans' in-memory grain storage
/// when the activation ends, so a call costs no storage round trip (nothing survives the silo either way). Event
/// partitions, list partitions and the space index's partitions keep what they are told in memory.
/// </summary>
public sealed class MemoryUserStore(IGrainStorage storage, PartitionHandOffs handOffs) : IUserStore
{
    private const string StateName = "user";

    public bool WritesOnCommit => false;

    public async Task<StoredUser> ReadAsync(GrainId user)
    {
        var read = new GrainState<UserState>(new UserState());
        await storage.ReadStateAsync(StateName, user, read);
        return new StoredUser(read.State ?? new UserState(), read.ETag);
    }

    public Task<string?> CommitAsync(GrainId user, UserState state, string? etag, IReadOnlyList<DestinationChanges> changes) =>
        Task.FromResult(etag);

    public async Task<string?> FlushAsync(GrainId user, UserState state, string? etag)
    {
        var written = new GrainState<UserState>(state) { ETag = etag, RecordExists = etag is not null };
        await storage.WriteStateAsync(StateName, user, written);
        return written.ETag;
    }

    public Task HandOffIndexAsync(string spaceId, string userKey, IReadOnlyList<Transition> changes) =>
        handOffs.IndexAsync(GrainSpaceIndex.PartitionOf(spaceId, userKey), changes);

    public Task HandOffAsync(string userKey, DestinationChanges changes, bool resume)
    {
        var partition = GrainKeys.DestinationPartition(changes.Connection.DestinationId, changes.Partition);
        return changes.Connection.DestinationKind == DestinationKind.Event
            ? handOffs.DeliverAsync(partition, changes.Payloads)
            : handOffs.ApplyAsync(partition, MemberChanges.Of(changes.Deliveries, changes.Identifiers));
    }
}
