using Journeys.Orleans.Domain;

namespace Journeys.Orleans.Tests.Unit;

public sealed class PartitionerTests
{
    [Fact]
    public void A_key_always_lands_in_the_same_partition_within_range()
    {
        Assert.Equal(Partitioner.PartitionOf("u:alice", 16), Partitioner.PartitionOf("u:alice", 16));
        // FNV-1a of "u:alice" is 1398456310 in every process: stored partitions must stay where they are.
        Assert.Equal(6, Partitioner.PartitionOf("u:alice", 16));
        Assert.Equal(310, Partitioner.PartitionOf("u:alice", 1000));
        Assert.Equal(0, Partitioner.PartitionOf("anything", 1));
    }

    [Fact]
    public void Users_spread_over_all_partitions()
    {
        var counts = new int[8];
        for (var i = 0; i < 8000; i++) counts[Partitioner.PartitionOf($"u:user-{i}", 8)]++;

        Assert.All(counts, count => Assert.InRange(count, 700, 1300));
    }
}
