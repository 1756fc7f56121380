using System.Text.RegularExpressions;

namespace Journeys.Orleans.Model;

/// <summary>
/// Checks of incoming calls that both the client library and the grains apply, so a bad call is refused
/// with the field and the reason before anything changes.
/// </summary>
public static partial class InputRules
{
    /// <summary>The longest user id or anonymous id accepted.</summary>
    public const int MaxIdentityLength = 255;

    /// <summary>Throws when the space id is not of the form <c>spa_...</c>.</summary>
    public static void CheckSpaceId(string? spaceId, string field = "spaceId")
    {
        if (string.IsNullOrEmpty(spaceId))
            throw new JourneysValidationException(field, "is required");
        if (!SpaceIdPattern().IsMatch(spaceId))
            throw new JourneysValidationException(field, "must look like spa_ followed by 1 to 60 characters from [a-z0-9_]");
    }

    /// <summary>Throws when neither id is given, or one is too long or blank.</summary>
    public static void CheckIdentity(string? userId, string? anonymousId)
    {
        if (string.IsNullOrWhiteSpace(userId) && string.IsNullOrWhiteSpace(anonymousId))
            throw new JourneysValidationException("userId", "either userId or anonymousId is required");
        CheckOptionalId(userId, "userId");
        CheckOptionalId(anonymousId, "anonymousId");
    }

    /// <summary>Throws when an alias call is not acceptable: both ids are required.</summary>
    public static void Check(AliasEvent aliasEvent)
    {
        ArgumentNullException.ThrowIfNull(aliasEvent);
        CheckSpaceId(aliasEvent.SpaceId);
        if (string.IsNullOrWhiteSpace(aliasEvent.UserId)) throw new JourneysValidationException("userId", "is required for an alias call");
        if (string.IsNullOrWhiteSpace(aliasEvent.PreviousId)) throw new JourneysValidationException("previousId", "is required for an alias call");
        CheckOptionalId(aliasEvent.UserId, "userId");
        CheckOptionalId(aliasEvent.PreviousId, "previousId");
    }

    /// <summary>Throws when a track call is not acceptable.</summary>
    public static void Check(TrackEvent trackEvent)
    {
        ArgumentNullException.ThrowIfNull(trackEvent);
        CheckSpaceId(trackEvent.SpaceId);
        CheckIdentity(trackEvent.UserId, trackEvent.AnonymousId);
        if (string.IsNullOrWhiteSpace(trackEvent.Event))
            throw new JourneysValidationException("event", "is required");
        if (trackEvent.Event.Length > 200)
            throw new JourneysValidationException("event", "must be at most 200 characters");
        CheckText(trackEvent.Event, "event");
        if (trackEvent.Properties is null)
            throw new JourneysValidationException("properties", "must be an object, not null");
        CheckTexts(trackEvent.Properties, "properties");
    }

    /// <summary>Throws when an identify call is not acceptable.</summary>
    public static void Check(IdentifyEvent identifyEvent)
    {
        ArgumentNullException.ThrowIfNull(identifyEvent);
        CheckSpaceId(identifyEvent.SpaceId);
        CheckIdentity(identifyEvent.UserId, identifyEvent.AnonymousId);
        if (identifyEvent.Traits is null)
            throw new JourneysValidationException("traits", "must be an object, not null");
        foreach (var name in identifyEvent.Traits.Keys)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new JourneysValidationException("traits", "a trait name must not be empty");
        }
        CheckTexts(identifyEvent.Traits, "traits");
    }

    /// <summary>
    /// Throws when <paramref name="value"/> cannot be stored as text: PostgreSQL refuses the NUL character, and a lone
    /// UTF-16 surrogate has no UTF-8 form. Checked here so such a call is a 400 naming the field, never a storage error.
    /// </summary>
    public static void CheckText(string? value, string field)
    {
        if (value is null) return;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
                throw new JourneysValidationException(field, "must not contain the NUL character (\\u0000)");
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
                throw new JourneysValidationException(field, "must not contain a lone UTF-16 surrogate (such as \\ud800)");
        }
    }

    private static void CheckTexts(IReadOnlyDictionary<string, string?> values, string field)
    {
        foreach (var (name, value) in values)
        {
            CheckText(name, field);
            CheckText(value, $"{field}.{name}");
        }
    }

    private static void CheckOptionalId(string? value, string field)
    {
        if (value is null) return;
        if (value.Length > MaxIdentityLength)
            throw new JourneysValidationException(field, $"must be at most {MaxIdentityLength} characters");
        if (value.Length > 0 && string.IsNullOrWhiteSpace(value))
            throw new JourneysValidationException(field, "must not be blank");
        CheckText(value, field);
    }

    [GeneratedRegex("^spa_[a-z0-9_]{1,60}$")]
    private static partial Regex SpaceIdPattern();
}
