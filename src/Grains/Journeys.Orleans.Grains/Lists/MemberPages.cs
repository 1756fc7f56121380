using System.Text;
using Journeys.Orleans.Interfaces;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Members;

/// <summary>
/// Pages of one step's members kept by partition grains (<see cref="IMemberPartitionGrain"/>): ordered by user key
/// within a partition, the partitions in turn; the page token says where the next page starts. Also reads and writes
/// the tokens of pages read from rows, which are one ordered run.
/// </summary>
public static class MemberPages
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 1000;

    public static async Task<MemberPage> ReadAsync(
        Func<int, IMemberPartitionGrain> partitionOf, int partitions, string stepId, string? pageToken, int pageSize)
    {
        CheckSize(pageSize);
        var (partition, after) = Parse(pageToken, partitions);
        var members = new List<ListMember>(pageSize);
        for (; partition < partitions; partition++, after = null)
        {
            var room = pageSize - members.Count;
            var page = await partitionOf(partition).GetMembersAsync(stepId, after, room);
            members.AddRange(page);
            if (page.Count == room)
                return new MemberPage(members, Token(partition, page[^1].UserKey));
        }
        return new MemberPage(members, null);
    }

    public static async Task<long> CountAsync(Func<int, IMemberPartitionGrain> partitionOf, int partitions, string stepId)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, partitions).Select(p => partitionOf(p).CountAsync(stepId)));
        return counts.Sum();
    }

    /// <summary>One partition grain's page of a step's members kept in memory: those after <paramref name="afterUserKey"/>, in key order.</summary>
    public static IReadOnlyList<ListMember> OfPartition<TEntry>(
        IReadOnlyDictionary<string, TEntry>? members, string? afterUserKey, int limit, Func<string, TEntry, ListMember> member) =>
        members is null ? [] : members
            .Where(m => afterUserKey is null || string.CompareOrdinal(m.Key, afterUserKey) > 0)
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(m => member(m.Key, m.Value))
            .ToList();

    /// <summary>A page read from rows (one run in user-key order): the next one starts after its last member.</summary>
    public static MemberPage OfRows(IReadOnlyList<ListMember> page, int pageSize) =>
        new(page, page.Count == pageSize ? Token(0, page[^1].UserKey) : null);

    /// <summary>The user key a page read from rows starts after.</summary>
    public static string? RowsAfter(string? pageToken, int pageSize)
    {
        CheckSize(pageSize);
        return Parse(pageToken, partitions: 1).After;
    }

    private static void CheckSize(int pageSize)
    {
        if (pageSize is < 1 or > MaxPageSize)
            throw new JourneysValidationException("pageSize", $"must be between 1 and {MaxPageSize} (got {pageSize})");
    }

    private static (int Partition, string? After) Parse(string? pageToken, int partitions)
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

    private static string Token(int partition, string lastUserKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{partition}:{lastUserKey}"));
}
