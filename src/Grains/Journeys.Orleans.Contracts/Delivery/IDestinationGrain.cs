using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// A destination's configuration, and the place to read its members and delivery counters, gathered from its
/// partition grains. Not on the per-transition path. Keyed by destination id (<c>dst_...</c>).
/// </summary>
[Alias("journeys.IDestinationGrain")]
public interface IDestinationGrain : IGrainWithStringKey
{
    /// <summary>Called by the space when the destination is created.</summary>
    [Alias("Create")]
    Task<DestinationInfo> CreateAsync(string spaceId, DestinationDefinition definition, int partitions);

    /// <summary>The destination without secrets; throws when it does not exist.</summary>
    /// <remarks>
    /// Interleaves not to avoid a deadlock (the destination calls only its partitions and list syncs, and none of them
    /// calls it back) but so that steps being connected and the pages are answered while a replay or a count across
    /// the partitions runs; it only reads the stored definition, which nothing changes between awaits.
    /// </remarks>
    [Alias("Get"), AlwaysInterleave]
    Task<DestinationInfo> GetAsync();

    /// <summary>A page of the users currently in <paramref name="stepId"/> (list destinations).</summary>
    [Alias("GetMembers")]
    Task<MemberPage> GetMembersAsync(string stepId, string? pageToken, int pageSize);

    /// <summary>How many users are currently in <paramref name="stepId"/> (list destinations).</summary>
    [Alias("CountMembers")]
    Task<long> CountMembersAsync(string stepId);

    /// <summary>Stops sending (event destinations): payloads are still accepted and kept, and sent on resume.</summary>
    [Alias("Pause")]
    Task<DestinationInfo> PauseAsync();

    /// <summary>Sends again after a pause.</summary>
    [Alias("Resume")]
    Task<DestinationInfo> ResumeAsync();

    /// <summary>The dead letters (event destinations), oldest first, at most <paramref name="limit"/>.</summary>
    [Alias("GetDeadLetters")]
    Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(int limit);

    /// <summary>
    /// Sends dead letters again: those with the given message ids, or all when none are given. A dead letter that a
    /// later message superseded is dropped instead of sent; the answer counts both.
    /// </summary>
    [Alias("Replay")]
    Task<ReplayResult> ReplayAsync(IReadOnlyList<string>? messageIds);

    /// <summary>Re-sends the whole list of <paramref name="stepId"/> to the remote list (list destinations with sync).</summary>
    /// <remarks>
    /// Interleaves so that the destination goes on answering (its delivery counters, the pipeline page) while the
    /// mirror runs, however long: it reads only the definition and waits on the sync, which runs one mirror at a time.
    /// </remarks>
    [Alias("Resync"), AlwaysInterleave]
    Task ResyncAsync(string stepId);

    /// <summary>Where the remote sync of <paramref name="stepId"/>'s members stands.</summary>
    /// <remarks>
    /// Interleaves so that a mirror's progress can be read while another call waits on the destination; it reads only
    /// the definition, which no awaited call changes, and asks the sync, which answers at once.
    /// </remarks>
    [Alias("GetListSync"), AlwaysInterleave]
    Task<ListSyncStatus> GetListSyncAsync(string stepId);

    /// <summary>Delivery counters summed over the partitions (event destinations).</summary>
    [Alias("GetDeliveryStats")]
    Task<DeliveryStats> GetDeliveryStatsAsync();
}
