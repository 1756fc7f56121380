using System.Text.Json;
using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Domain;

/// <summary>
/// What a payload tells its receiver about a user's membership of a step: the user entered it, or left it. Read from
/// the payload itself (SPEC section 5: <c>context.personas.computation_id</c> is <c>{journeyId}:{stepId}</c>, and
/// <c>properties</c> / <c>traits</c> carry the step key set to true on entering, false on leaving, whatever the
/// connection calls its track events), so stored rows need nothing more than the JSON the receiver gets.
/// </summary>
public sealed record MembershipClaim(string SpaceId, string UserKey, string JourneyId, string StepId, bool Entered)
{
    /// <summary>The step, as <c>{journeyId}:{stepId}</c>.</summary>
    public string Step => $"{JourneyId}:{StepId}";

    /// <summary>The claim of a payload built by <see cref="SegmentPayloadBuilder"/>; null for anything else.</summary>
    public static MembershipClaim? Read(OutgoingPayload payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.Json);
            var root = document.RootElement;
            if (!root.TryGetProperty("context", out var context) || !context.TryGetProperty("personas", out var personas)) return null;
            if (Text(personas, "computation_id") is not { } computation || Text(personas, "space_id") is not { } spaceId) return null;
            if (Text(personas, "computation_key") is not { } stepKey) return null;
            var colon = computation.IndexOf(':');
            if (colon <= 0 || colon == computation.Length - 1) return null;
            var values = root.TryGetProperty("properties", out var properties) ? properties
                : root.TryGetProperty("traits", out var traits) ? traits : default;
            if (values.ValueKind != JsonValueKind.Object || !values.TryGetProperty(stepKey, out var value)) return null;
            bool? entered = value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when value.ValueEquals("true") => true,
                JsonValueKind.String when value.ValueEquals("false") => false,
                _ => null,
            };
            return entered is null ? null : new MembershipClaim(spaceId, payload.UserKey, computation[..colon], computation[(colon + 1)..], entered.Value);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Whether a dead letter may be replayed (SPEC section 7: a payload is never sent after a newer one for the same user,
/// step and destination, not after a replay). It is superseded — dropped instead of sent — when the user's current
/// membership of its step is the opposite of what it says, or when a payload of that step still waiting in the user's
/// line says the opposite: either way sending it would leave the receiver disagreeing with the user.
/// </summary>
public static class ReplayRules
{
    /// <param name="claim">What the dead letter says.</param>
    /// <param name="currentSteps">The steps (<c>{journeyId}:{stepId}</c>) the user is a member of now.</param>
    /// <param name="waiting">The user's payloads still waiting to be sent, in order.</param>
    public static bool IsSuperseded(MembershipClaim claim, IReadOnlySet<string> currentSteps, IEnumerable<MembershipClaim> waiting)
    {
        if (currentSteps.Contains(claim.Step) != claim.Entered) return true;
        var latestWaiting = waiting.LastOrDefault(w => w.Step == claim.Step);
        return latestWaiting is not null && latestWaiting.Entered != claim.Entered;
    }

    /// <summary>
    /// Splits the dead letters chosen for a replay into those sent again and those superseded, against each user's
    /// steps now (<paramref name="currentSteps"/>, by space and user key) and the payloads still waiting in its line.
    /// A letter that claims no membership is sent again.
    /// </summary>
    public static (List<(OutgoingPayload Payload, DeadLetter Letter)> Replay, List<(OutgoingPayload Payload, DeadLetter Letter)> Skip) Split(
        IReadOnlyList<(OutgoingPayload Payload, DeadLetter Letter)> chosen,
        IReadOnlyDictionary<(string SpaceId, string UserKey), IReadOnlySet<string>> currentSteps,
        DeliveryQueue queue)
    {
        var replay = new List<(OutgoingPayload Payload, DeadLetter Letter)>();
        var skip = new List<(OutgoingPayload Payload, DeadLetter Letter)>();
        foreach (var letter in chosen)
        {
            var superseded = MembershipClaim.Read(letter.Payload) is { } claim && IsSuperseded(
                claim, currentSteps[(claim.SpaceId, claim.UserKey)],
                queue.Of(letter.Payload.UserKey).Select(p => MembershipClaim.Read(p.Payload)).OfType<MembershipClaim>());
            (superseded ? skip : replay).Add(letter);
        }
        return (replay, skip);
    }
}
