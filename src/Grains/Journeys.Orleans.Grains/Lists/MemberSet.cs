using System.Text;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;
using Journeys.Orleans.Persistence;

namespace Journeys.Orleans.Members;

/// <summary>
/// Reads the members of one step as kept by a set of partitioned <see cref="IListMembersGrain"/>s — a list destination's,
/// or a journey's step index: rows in the database when one is configured, else the partitions' state.
/// Pages are ordered by user key within a partition; the page token says where the next page starts.
/// </summary>
public sealed class MemberSet(IGrainFactory grains, ListMemberStorage storage, string setId, int partitions)
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 1000;

    public async Task<MemberPage> GetPageAsync(string stepId, string? pageToken, int pageSize)
    {
        if (pageSize is < 1 or > MaxPageSize)
            throw new JourneysValidationException("pageSize", $"must be between 1 and {MaxPageSize} (got {pageSize})");
        var (partition, after) = ParsePageToken(pageToken);

        if (storage.Rows is { } rows)
        {
            var page = await rows.GetPageAsync(setId, stepId, after, pageSize);
            return new MemberPage(page, page.Count == pageSize ? PageToken(0, page[^1].UserKey) : null);
        }

        var members = new List<ListMember>(pageSize);
        for (; partition < partitions; partition++, after = null)
        {
            var room = pageSize - members.Count;
            var page = await Partition(partition).GetMembersAsync(stepId, after, room);
            members.AddRange(page);
            if (page.Count == room)
                return new MemberPage(members, PageToken(partition, page[^1].UserKey));
        }
        return new MemberPage(members, null);
    }

    public async Task<long> CountAsync(string stepId)
    {
        if (storage.Rows is { } rows) return await rows.CountAsync(setId, stepId);
        var counts = await Task.WhenAll(Enumerable.Range(0, partitions).Select(p => Partition(p).CountAsync(stepId)));
        return counts.Sum();
    }

    public IListMembersGrain Partition(int partition) =>
        grains.Get<IListMembersGrain>(GrainKeys.DestinationPartition(setId, partition));

    private (int Partition, string? After) ParsePageToken(string? pageToken)
    {
        if (string.IsNullOrEmpty(pageToken)) return (0, null);
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(pageToken));
            var colon = text.IndexOf(':');
            var partition = int.Parse(text[..colon], System.Globalization.CultureInfo.InvariantCulture);
            if (partition < 0 || partition >= partitions) throw new FormatException();
            return (partition, text[(colon + 1)..]);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new JourneysValidationException("pageToken", "is not a page token this list gave out");
        }
    }

    private static string PageToken(int partition, string lastUserKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{partition}:{lastUserKey}"));
}
