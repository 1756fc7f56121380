using System.Text;

namespace Journeys.Orleans.Domain;

/// <summary>
/// Spreads users over a fixed number of partitions with a hash that is stable across processes and versions
/// (string.GetHashCode is randomised per process), so a user always lands in the same partition.
/// </summary>
public static class Partitioner
{
    /// <summary>The partition, in [0, <paramref name="partitions"/>), of <paramref name="key"/>.</summary>
    public static int PartitionOf(string key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)(Fnv1a(key) % (uint)partitions);
    }

    private static uint Fnv1a(string key)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in key.EnumerateRunes())
        {
            var written = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < written; i++)
            {
                hash ^= buffer[i];
                hash *= 16777619u;
            }
        }
        return hash;
    }
}
