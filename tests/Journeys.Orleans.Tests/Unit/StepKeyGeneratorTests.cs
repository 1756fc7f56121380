using System.Text.RegularExpressions;
using Journeys.Orleans.Domain;

namespace Journeys.Orleans.Tests.Unit;

public sealed class StepKeyGeneratorTests
{
    private static readonly Regex SeedShape = new("^j_o_first_purchase__opened_email_[a-z0-9]{6}$");

    [Fact]
    public void Seed_example_has_the_seed_shape()
    {
        var key = StepKeyGenerator.Generate("First Purchase", "Opened Email");
        Assert.Matches(SeedShape, key);
    }

    [Theory]
    [InlineData("Crème Brûlée", "creme_brulee")]
    [InlineData("Ñandú Çedilla Øre", "nandu_cedilla_re")]
    [InlineData("  Hello, World!! -- 2nd   step ", "hello_world_2nd_step")]
    [InlineData("__already_snake__", "already_snake")]
    [InlineData("UPPER lower 123", "upper_lower_123")]
    [InlineData("émoji 🎉 party", "emoji_party")]
    public void Slugs_strip_accents_and_fold_punctuation(string name, string expected) =>
        Assert.Equal(expected, StepKeyGenerator.Slugify(name));

    [Fact]
    public void A_name_with_nothing_sluggable_falls_back()
    {
        var key = StepKeyGenerator.Generate("!!!", "中文");
        Assert.Matches("^j_o_journey__step_[a-z0-9]{6}$", key);
    }

    [Fact]
    public void Long_names_are_cut_to_255_keeping_the_suffix()
    {
        var longJourney = string.Join(' ', Enumerable.Repeat("journey", 60));
        var longStep = string.Join(' ', Enumerable.Repeat("step", 80));

        var key = StepKeyGenerator.Generate(longJourney, longStep);

        Assert.True(key.Length <= StepKeyGenerator.MaxKeyLength, $"{key.Length} characters");
        Assert.Matches("^j_o_journey_[a-z_]*[a-z]__step_[a-z_]*[a-z]_[a-z0-9]{6}$", key);
        Assert.DoesNotContain("___", key);
    }

    [Fact]
    public void A_short_journey_name_leaves_the_room_to_a_long_step_name()
    {
        var longStep = new string('s', 400);

        var key = StepKeyGenerator.Generate("Short", longStep);

        Assert.Equal(StepKeyGenerator.MaxKeyLength, key.Length);
        Assert.StartsWith("j_o_short__sss", key);
    }

    [Fact]
    public void A_long_journey_name_with_a_short_step_name_keeps_the_whole_step_slug()
    {
        var key = StepKeyGenerator.Generate(new string('j', 400), "Opened Email");

        Assert.Equal(StepKeyGenerator.MaxKeyLength, key.Length);
        Assert.Matches("__opened_email_[a-z0-9]{6}$", key);
    }

    [Fact]
    public void Registry_issues_100000_unique_keys_for_the_same_names()
    {
        var registry = new StepKeyRegistry(new HashSet<string>(StringComparer.Ordinal));
        var keys = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < 100_000; i++)
        {
            var key = registry.Issue("First Purchase", "Opened Email");
            Assert.True(keys.Add(key), $"key {key} issued twice");
        }

        Assert.All(keys, key => Assert.Matches(SeedShape, key));
    }

    [Fact]
    public void Registry_never_reissues_a_reserved_key()
    {
        var registry = new StepKeyRegistry(new HashSet<string>(StringComparer.Ordinal));

        Assert.True(registry.TryReserve("j_o_a__b_aaaaaa"));
        Assert.False(registry.TryReserve("j_o_a__b_aaaaaa"));
    }
}
