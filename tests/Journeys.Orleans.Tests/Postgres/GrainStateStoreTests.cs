using Journeys.Orleans.Hosting;
using Journeys.Orleans.State;
using Journeys.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Journeys.Orleans.Tests.Postgres;

/// <summary>The group-committed store behind the per-user state: etags are respected, concurrent writes all land.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GrainStateStoreTests(PostgresFixture fixture)
{
    private IGrainStorage Store => fixture.Cluster.Cluster.GetSiloServiceProvider(null!)
        .GetRequiredKeyedService<IGrainStorage>(JourneysSiloBuilderExtensions.UserStorageName);

    [Fact]
    public async Task A_write_with_a_stale_etag_fails_and_changes_nothing()
    {
        var grainId = GrainId.Create("user", "spa_etag/u:" + Guid.NewGuid().ToString("N"));
        var first = new GrainState<UserState>(new UserState { UserId = "first" });
        var stale = new GrainState<UserState>(new UserState { UserId = "stale" });

        await Store.WriteStateAsync("user", grainId, first);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Store.WriteStateAsync("user", grainId, stale));
        first.State!.UserId = "second";
        await Store.WriteStateAsync("user", grainId, first);
        var read = new GrainState<UserState>(new UserState());
        await Store.ReadStateAsync("user", grainId, read);

        Assert.Contains("Version conflict", conflict.Message);
        Assert.Equal("second", read.State!.UserId);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Many_concurrent_writes_are_group_committed_and_all_durable()
    {
        var grains = Enumerable.Range(0, 500).Select(i => GrainId.Create("user", $"spa_group/u:{i}-{Guid.NewGuid():N}")).ToList();

        await Task.WhenAll(grains.Select((id, i) => Store.WriteStateAsync("user", id, new GrainState<UserState>(new UserState { UserId = $"user-{i}" }))));

        for (var i = 0; i < grains.Count; i += 50)
        {
            var read = new GrainState<UserState>(new UserState());
            await Store.ReadStateAsync("user", grains[i], read);
            Assert.Equal($"user-{i}", read.State!.UserId);
            Assert.Equal("1", read.ETag);
        }
    }
}
