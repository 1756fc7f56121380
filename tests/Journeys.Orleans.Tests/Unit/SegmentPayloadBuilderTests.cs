using System.Text.Json;
using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Unit;

public sealed class SegmentPayloadBuilderTests
{
    private const string Key = SeedTransitions.Key;

    private static readonly Transition Entered = SeedTransitions.Entered;

    private static readonly Transition Exited = SeedTransitions.Exited;

    private static ConnectionInfo Connection(ConnectionSettings? settings = null) => new()
    {
        DestinationId = "dst_1",
        DestinationName = "My Webhook",
        DestinationKind = DestinationKind.Event,
        DestinationPartitions = 1,
        Settings = settings ?? ConnectionSettings.Default,
    };

    [Fact]
    public void Track_on_entering_is_the_seed_payload_in_the_spec_envelope()
    {
        var payload = SegmentPayloadBuilder.BuildOne(Entered, Connection(), CallType.Track);

        var expected =
            "{\"type\":\"track\",\"event\":\"Audience Entered\",\"userId\":\"u_123\"," +
            $"\"messageId\":\"{MessageIds.For(Entered, "dst_1", CallType.Track)}\"," +
            "\"timestamp\":\"2026-11-29T10:15:00.000Z\"," +
            $"\"properties\":{{\"{Key}\":\"true\"}}," +
            "\"context\":{\"personas\":{\"computation_class\":\"audience\",\"computation_id\":\"jny_1:stp_1\"," +
            $"\"computation_key\":\"{Key}\",\"namespace\":\"spa_default\",\"space_id\":\"spa_default\"}}}}," +
            "\"integrations\":{\"All\":false,\"My Webhook\":true}}";
        Assert.Equal(expected, payload.Json);
    }

    [Fact]
    public void Track_on_leaving_says_Audience_Exited_and_false()
    {
        var json = Parse(SegmentPayloadBuilder.BuildOne(Exited, Connection(), CallType.Track));

        Assert.Equal("track", json.GetProperty("type").GetString());
        Assert.Equal("Audience Exited", json.GetProperty("event").GetString());
        Assert.Equal($"{{\"{Key}\":\"false\"}}", json.GetProperty("properties").GetRawText());
    }

    [Fact]
    public void Identify_on_entering_and_leaving_sets_the_trait_true_then_false()
    {
        var entered = Parse(SegmentPayloadBuilder.BuildOne(Entered, Connection(), CallType.Identify));
        var exited = Parse(SegmentPayloadBuilder.BuildOne(Exited, Connection(), CallType.Identify));

        Assert.Equal("identify", entered.GetProperty("type").GetString());
        Assert.False(entered.TryGetProperty("event", out _));
        Assert.False(entered.TryGetProperty("properties", out _));
        Assert.Equal($"{{\"{Key}\":\"true\"}}", entered.GetProperty("traits").GetRawText());
        Assert.Equal($"{{\"{Key}\":\"false\"}}", exited.GetProperty("traits").GetRawText());
        Assert.Equal("audience", entered.GetProperty("context").GetProperty("personas").GetProperty("computation_class").GetString());
    }

    [Fact]
    public void Boolean_setting_sends_json_booleans()
    {
        var settings = new ConnectionSettings { BooleanValues = true };

        var track = Parse(SegmentPayloadBuilder.BuildOne(Entered, Connection(settings), CallType.Track));
        var identify = Parse(SegmentPayloadBuilder.BuildOne(Exited, Connection(settings), CallType.Identify));

        Assert.Equal($"{{\"{Key}\":true}}", track.GetProperty("properties").GetRawText());
        Assert.Equal($"{{\"{Key}\":false}}", identify.GetProperty("traits").GetRawText());
    }

    [Fact]
    public void Custom_event_names_replace_the_defaults()
    {
        var settings = new ConnectionSettings { EnteredEventName = "Joined Step", ExitedEventName = "Left Step" };

        Assert.Equal("Joined Step", Parse(SegmentPayloadBuilder.BuildOne(Entered, Connection(settings), CallType.Track)).GetProperty("event").GetString());
        Assert.Equal("Left Step", Parse(SegmentPayloadBuilder.BuildOne(Exited, Connection(settings), CallType.Track)).GetProperty("event").GetString());
    }

    [Fact]
    public void Anonymous_users_get_anonymousId_and_both_ids_when_both_are_known()
    {
        var anonymous = Entered with { UserId = null, AnonymousId = "anon-1", UserKey = "a:anon-1" };
        var both = Entered with { AnonymousId = "anon-1" };

        var anonymousJson = Parse(SegmentPayloadBuilder.BuildOne(anonymous, Connection(), CallType.Track));
        var bothJson = Parse(SegmentPayloadBuilder.BuildOne(both, Connection(), CallType.Track));

        Assert.False(anonymousJson.TryGetProperty("userId", out _));
        Assert.Equal("anon-1", anonymousJson.GetProperty("anonymousId").GetString());
        Assert.Equal("u_123", bothJson.GetProperty("userId").GetString());
        Assert.Equal("anon-1", bothJson.GetProperty("anonymousId").GetString());
    }

    [Fact]
    public void A_connection_sends_track_identify_or_both()
    {
        Assert.Equal([CallType.Track, CallType.Identify], SegmentPayloadBuilder.Build(Entered, Connection()).Select(p => p.CallType));
        Assert.Equal([CallType.Track], SegmentPayloadBuilder.Build(Entered, Connection(new() { SendIdentify = false })).Select(p => p.CallType));
        Assert.Equal([CallType.Identify], SegmentPayloadBuilder.Build(Entered, Connection(new() { SendTrack = false })).Select(p => p.CallType));
    }

    private static JsonElement Parse(OutgoingPayload payload) => JsonDocument.Parse(payload.Json).RootElement;
}
