using System.Text.Json;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>The identifiers a connection asks payloads to carry, and email and phone hashed as audience APIs want them.</summary>
public sealed class PayloadIdentifiersTests
{
    private static readonly Dictionary<string, string?> Traits = new()
    {
        ["email"] = "  Test@Example.com ",
        ["phone"] = "+1 (555) 123-4567",
        ["plan"] = "pro",
    };

    [Theory]
    // SHA-256 of "test@example.com", the example of Google's Customer Match and Meta's Custom Audiences guides.
    [InlineData("email", "  Test@Example.com ", "test@example.com", "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b")]
    [InlineData("phone", "+1 (555) 123-4567", "+15551234567", "8a59780bb8cd2ba022bfa5ba2ea3b6e07af17a7d8b30c1f9b3390e36f69019e4")]
    [InlineData("phone", "0044 7700 900123", "+447700900123", "a8acc3a90a7b4e4dc65e93db9240ed26523050ef754d63b75b5161de76781436")]
    public void Email_and_phone_are_normalised_then_hashed_with_SHA_256(string name, string value, string normalised, string hash)
    {
        Assert.Equal(normalised, PayloadIdentifiers.Normalize(name, value));
        Assert.Equal(hash, PayloadIdentifiers.Hash(PayloadIdentifiers.Normalize(name, value)));
    }

    [Fact]
    public void Chosen_traits_come_in_the_order_chosen_hashed_only_for_email_and_phone()
    {
        var settings = new ConnectionSettings { Identifiers = ["userId", "plan", "email", "missing", "phone"], HashIdentifiers = true };

        var traits = PayloadIdentifiers.Traits(settings, Traits).ToList();

        Assert.Equal(
            [("plan", "pro"), ("email", "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"),
             ("phone", "8a59780bb8cd2ba022bfa5ba2ea3b6e07af17a7d8b30c1f9b3390e36f69019e4")],
            traits);
        Assert.Equal([("email", "  Test@Example.com ")], PayloadIdentifiers.Traits(new ConnectionSettings { Identifiers = ["userId", "email"] }, Traits));
        Assert.Empty(PayloadIdentifiers.Traits(ConnectionSettings.Default, Traits));
    }

    [Fact]
    public void A_payload_names_its_user_by_the_ids_chosen_or_else_by_the_one_it_has()
    {
        var userOnly = new ConnectionSettings { Identifiers = ["userId"] };
        var anonymousOnly = new ConnectionSettings { Identifiers = ["anonymousId", "email"] };

        Assert.Equal(("u1", "a1"), PayloadIdentifiers.Ids(ConnectionSettings.Default, "u1", "a1"));
        Assert.Equal(("u1", null), PayloadIdentifiers.Ids(userOnly, "u1", "a1"));
        Assert.Equal((null, "a1"), PayloadIdentifiers.Ids(anonymousOnly, "u1", "a1"));
        Assert.Equal(("u1", null), PayloadIdentifiers.Ids(anonymousOnly, "u1", null));
        Assert.Equal((null, "a1"), PayloadIdentifiers.Ids(userOnly, null, "a1"));
    }

    [Fact]
    public void Track_carries_them_in_context_traits_and_identify_in_traits_beside_the_step_key()
    {
        var connection = new ConnectionInfo
        {
            DestinationId = "dst_1", DestinationName = "Ads", DestinationKind = DestinationKind.Event, DestinationPartitions = 1,
            Settings = new ConnectionSettings { Identifiers = ["userId", "email", SeedTransitions.Key], HashIdentifiers = true },
        };

        var track = JsonDocument.Parse(SegmentPayloadBuilder.BuildOne(SeedTransitions.Entered, connection, CallType.Track, traits: Traits).Json).RootElement;
        var identify = JsonDocument.Parse(SegmentPayloadBuilder.BuildOne(SeedTransitions.Entered, connection, CallType.Identify, traits: Traits).Json).RootElement;
        var plain = JsonDocument.Parse(SegmentPayloadBuilder.BuildOne(SeedTransitions.Entered, connection with { Settings = ConnectionSettings.Default }, CallType.Track, traits: Traits).Json).RootElement;

        const string hashed = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
        Assert.Equal($"{{\"email\":\"{hashed}\"}}", track.GetProperty("context").GetProperty("traits").GetRawText());
        Assert.Equal($"{{\"{SeedTransitions.Key}\":\"true\",\"email\":\"{hashed}\"}}", identify.GetProperty("traits").GetRawText());
        Assert.False(track.GetProperty("context").GetProperty("traits").TryGetProperty(SeedTransitions.Key, out _));
        Assert.False(plain.GetProperty("context").TryGetProperty("traits", out _));
        Assert.Equal("u_123", track.GetProperty("userId").GetString());
    }

    [Theory]
    [InlineData(new[] { "email" }, "settings.identifiers")]
    [InlineData(new[] { "userId", "userId" }, "settings.identifiers")]
    [InlineData(new[] { "userId", "" }, "settings.identifiers[1]")]
    public void Connections_asking_for_no_user_id_or_twice_for_one_are_refused(string[] identifiers, string field)
    {
        var ex = Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(new ConnectionSettings { Identifiers = identifiers }));
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Settings_compare_by_their_identifiers_and_none_chosen_means_the_default()
    {
        Assert.Equal(ConnectionSettings.Default, new ConnectionSettings { Identifiers = ["userId", "anonymousId"] });
        Assert.Equal(ConnectionSettings.Default, new ConnectionSettings { Identifiers = [] });
        Assert.Equal(new ConnectionSettings { Identifiers = ["userId", "email"] }, new ConnectionSettings { Identifiers = new List<string> { "userId", "email" } });
        Assert.NotEqual(new ConnectionSettings { Identifiers = ["userId", "email"] }, new ConnectionSettings { Identifiers = ["userId", "phone"] });
    }
}
