using System.Collections.Concurrent;
using System.Reflection;
using Journeys.Orleans.Client;
using Journeys.Orleans.Silo.Ingestion;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>The silo's write-key cache: bounded, and it never remembers a key that does not exist.</summary>
public sealed class WriteKeyResolverTests
{
    /// <summary>An <see cref="IJourneysClient"/> that only resolves write keys, counting the questions per key.</summary>
    public class KeyDirectory : DispatchProxy
    {
        public ConcurrentDictionary<string, int> Asked { get; } = new();

        public Func<string, string?> Resolve { get; set; } = _ => null;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IJourneysClient.ResolveWriteKeyAsync)) throw new NotSupportedException(targetMethod?.Name);
            var key = (string)args![0]!;
            Asked.AddOrUpdate(key, 1, (_, n) => n + 1);
            return Task.FromResult(Resolve(key));
        }
    }

    private static (WriteKeyResolver Resolver, KeyDirectory Directory, FakeTimeProvider Clock) Create(int size, Func<string, string?> resolve)
    {
        var client = DispatchProxy.Create<IJourneysClient, KeyDirectory>();
        var directory = (KeyDirectory)(object)client;
        directory.Resolve = resolve;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new IngestionOptions { WriteKeyCacheDuration = TimeSpan.FromSeconds(5), WriteKeyCacheSize = size });
        return (new WriteKeyResolver(client, options, clock), directory, clock);
    }

    [Fact]
    public async Task Made_up_keys_are_never_remembered()
    {
        var (resolver, directory, _) = Create(100, _ => null);

        for (var i = 0; i < 1000; i++) Assert.Null(await resolver.ResolveAsync("wk_made_up_" + i));
        Assert.Null(await resolver.ResolveAsync("wk_made_up_0"));

        Assert.Equal(0, resolver.CachedCount);
        Assert.Equal(2, directory.Asked["wk_made_up_0"]);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_size_and_keeps_answering_right()
    {
        var (resolver, directory, _) = Create(100, key => "spa_" + key[3..]);

        for (var i = 0; i < 5000; i++) Assert.Equal($"spa_{i}", await resolver.ResolveAsync($"wk_{i}"));

        Assert.InRange(resolver.CachedCount, 1, 100);
        Assert.Equal(5000, directory.Asked.Count);
    }

    [Fact]
    public async Task A_known_key_is_asked_once_until_its_time_runs_out()
    {
        var (resolver, directory, clock) = Create(100, _ => "spa_known");

        await resolver.ResolveAsync("wk_busy");
        await resolver.ResolveAsync("wk_busy");
        clock.Advance(TimeSpan.FromSeconds(6));
        await resolver.ResolveAsync("wk_busy");

        Assert.Equal(2, directory.Asked["wk_busy"]);
    }
}
