using Journeys.Orleans.Model;

namespace Journeys.Orleans.Domain;

/// <summary>Checks of journey, step and destination definitions: each problem names the field and the reason.</summary>
public static class DefinitionRules
{
    /// <summary>The longest journey name (Segment's limit).</summary>
    public const int MaxJourneyNameLength = 73;

    /// <summary>The longest step name (Segment's limit).</summary>
    public const int MaxStepNameLength = 170;

    /// <summary>The longest destination name.</summary>
    public const int MaxDestinationNameLength = 100;

    /// <summary>Throws when the journey definition is not acceptable.</summary>
    public static void Check(JourneyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CheckName(definition.Name, "name", MaxJourneyNameLength);
        CheckCondition(definition.EntryCondition, "entryCondition");
        if (definition.ExitCondition is not null) CheckCondition(definition.ExitCondition, "exitCondition");
    }

    /// <summary>Throws when the step definition is not acceptable.</summary>
    public static void Check(StepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CheckName(definition.Name, "name", MaxStepNameLength);
        if (!Enum.IsDefined(definition.Kind))
            throw new JourneysValidationException("kind", $"unknown step kind {(int)definition.Kind}");
        if (!Enum.IsDefined(definition.ExitBehaviour))
            throw new JourneysValidationException("exitBehaviour", $"unknown exit behaviour {(int)definition.ExitBehaviour}");
        switch (definition.Kind)
        {
            case StepKind.Condition:
                CheckCondition(definition.Condition, "condition");
                break;
            case StepKind.SendToDestinations when definition.Condition is not null:
                throw new JourneysValidationException("condition", "a send to destinations step has no condition");
            case StepKind.Delay:
                if (definition.Delay is not { } delay || delay < TimeSpan.FromMinutes(1) || delay > TimeSpan.FromDays(182))
                    throw new JourneysValidationException("delay", "must be between 1 minute and 182 days");
                if (definition.Condition is not null)
                    throw new JourneysValidationException("condition", "a delay step has no condition");
                break;
        }
        if (definition.Kind != StepKind.Delay && definition.Delay is not null)
            throw new JourneysValidationException("delay", "only a delay step has a delay");
    }

    /// <summary>Throws when the step name is not acceptable.</summary>
    public static void CheckStepName(string? name) => CheckName(name, "name", MaxStepNameLength);

    /// <summary>Throws when the destination definition is not acceptable.</summary>
    public static void Check(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CheckName(definition.Name, "name", MaxDestinationNameLength);
        if (!Enum.IsDefined(definition.Kind))
            throw new JourneysValidationException("kind", $"unknown destination kind {(int)definition.Kind}");
        if (definition.Headers is null)
            throw new JourneysValidationException("headers", "must be an object, not null");
        if (definition.Kind == DestinationKind.List)
        {
            if (definition.ListSyncUrl is not null) CheckHttpUrl(definition.ListSyncUrl, "listSyncUrl", "list sync");
            if (definition.ListSyncBatchSize is < 1 or > 50_000)
                throw new JourneysValidationException("listSyncBatchSize", $"must be between 1 and 50000 (got {definition.ListSyncBatchSize})");
            if (definition.ListSyncInterval is { } interval && (interval <= TimeSpan.Zero || interval > TimeSpan.FromHours(1)))
                throw new JourneysValidationException("listSyncInterval", "must be above 0 and at most 1 hour");
            return;
        }
        if (definition.ListSyncUrl is not null)
            throw new JourneysValidationException("listSyncUrl", "only list destinations sync a list");

        if (!Enum.IsDefined(definition.Connector))
            throw new JourneysValidationException("connector", $"unknown connector {(int)definition.Connector}");
        if (definition.Connector == ConnectorKind.Webhook)
            CheckHttpUrl(definition.WebhookUrl, "webhookUrl", "a webhook destination");
        if (definition.Connector == ConnectorKind.Segment)
        {
            CheckHttpUrl(definition.SegmentHost, "segmentHost", "a Segment destination");
            if (string.IsNullOrWhiteSpace(definition.SegmentWriteKey))
                throw new JourneysValidationException("segmentWriteKey", "is required for a Segment destination");
        }
        if (definition.BatchSize is < 1 or > 500)
            throw new JourneysValidationException("batchSize", $"must be between 1 and 500 (got {definition.BatchSize})");
        if (definition.SigningSecret is { } secret && (secret.Length < 16 || secret.Length > 256))
            throw new JourneysValidationException("signingSecret", "must be 16 to 256 characters");
        if (definition.MaxRetryDuration is { } retry && (retry <= TimeSpan.Zero || retry > TimeSpan.FromDays(7)))
            throw new JourneysValidationException("maxRetryDuration", "must be above 0 and at most 7 days");
        foreach (var (name, value) in definition.Headers)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => c <= ' ' || c >= 127 || c == ':'))
                throw new JourneysValidationException($"headers[{name}]", "is not a valid HTTP header name");
            if (value is null || value.Any(c => c is '\r' or '\n'))
                throw new JourneysValidationException($"headers[{name}]", "the value must be present and on one line");
        }
    }

    /// <summary>Throws when the connection settings are not acceptable.</summary>
    public static void Check(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.SendTrack && !settings.SendIdentify)
            throw new JourneysValidationException("settings", "a connection sends track, identify or both");
        if (settings.SendTrack)
        {
            CheckName(settings.EnteredEventName, "settings.enteredEventName", 200);
            CheckName(settings.ExitedEventName, "settings.exitedEventName", 200);
        }
    }

    private static void CheckHttpUrl(string? value, string field, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new JourneysValidationException(field, $"is required for {what}");
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new JourneysValidationException(field, "must be an absolute http or https URL");
    }

    private static void CheckName(string? name, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new JourneysValidationException(field, "must not be empty");
        if (name.Length > maxLength)
            throw new JourneysValidationException(field, $"must be at most {maxLength} characters (got {name.Length})");
    }

    private const int MaxConditionDepth = 10;

    private static void CheckCondition(Condition? condition, string field, int depth = 0)
    {
        if (condition is null)
            throw new JourneysValidationException(field, "is required");
        if (depth > MaxConditionDepth)
            throw new JourneysValidationException(field, $"conditions nest at most {MaxConditionDepth} deep");
        switch (condition.Kind)
        {
            case ConditionKind.PerformedEvent:
                if (string.IsNullOrWhiteSpace(condition.EventName))
                    throw new JourneysValidationException($"{field}.eventName", "is required for a performed-event condition");
                if (condition.Count is < 0 or > 100)
                    throw new JourneysValidationException($"{field}.count", $"must be between 0 and 100 (got {condition.Count})");
                if (!Enum.IsDefined(condition.CountComparison))
                    throw new JourneysValidationException($"{field}.countComparison", $"unknown count comparison {(int)condition.CountComparison}");
                if (!Enum.IsDefined(condition.Window))
                    throw new JourneysValidationException($"{field}.window", $"unknown window {(int)condition.Window}");
                if (condition.Window == EventWindow.FromNow && (condition.Within is not { } within || within <= TimeSpan.Zero || within > TimeSpan.FromDays(182)))
                    throw new JourneysValidationException($"{field}.within", "must be above 0 and at most 182 days for a window counted from now");
                for (var i = 0; i < condition.PropertyFilters.Count; i++)
                    CheckComparison(condition.PropertyFilters[i].Property, condition.PropertyFilters[i].Comparison, condition.PropertyFilters[i].Value,
                        $"{field}.propertyFilters[{i}]", "property");
                break;
            case ConditionKind.TraitEquals:
                if (string.IsNullOrWhiteSpace(condition.TraitName))
                    throw new JourneysValidationException($"{field}.traitName", "is required for a trait condition");
                if (condition.TraitValue is null)
                    throw new JourneysValidationException($"{field}.traitValue", "is required for a trait condition");
                break;
            case ConditionKind.Trait:
                CheckComparison(condition.TraitName, condition.Comparison, condition.TraitValue, field, "traitName", "traitValue");
                break;
            case ConditionKind.And or ConditionKind.Or:
                if (condition.Conditions.Count == 0)
                    throw new JourneysValidationException($"{field}.conditions", $"an {condition.Kind} needs at least one condition");
                for (var i = 0; i < condition.Conditions.Count; i++) CheckCondition(condition.Conditions[i], $"{field}.conditions[{i}]", depth + 1);
                break;
            case ConditionKind.Not:
                if (condition.Conditions.Count != 1)
                    throw new JourneysValidationException($"{field}.conditions", "a Not takes exactly one condition");
                CheckCondition(condition.Conditions[0], $"{field}.conditions[0]", depth + 1);
                break;
            case ConditionKind.InStep:
                if (string.IsNullOrWhiteSpace(condition.JourneyId) || string.IsNullOrWhiteSpace(condition.StepId))
                    throw new JourneysValidationException($"{field}.stepId", "journeyId and stepId are required for an in-step condition");
                break;
            default:
                throw new JourneysValidationException($"{field}.kind", $"unknown condition kind {(int)condition.Kind}");
        }
    }

    private static void CheckComparison(string? name, Comparison comparison, string? value, string field, string nameField, string valueField = "value")
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new JourneysValidationException($"{field}.{nameField}", "is required");
        if (!Enum.IsDefined(comparison))
            throw new JourneysValidationException($"{field}.comparison", $"unknown comparison {(int)comparison}");
        if (comparison != Comparison.Exists && value is null)
            throw new JourneysValidationException($"{field}.{valueField}", $"is required to compare with {comparison}");
        if (comparison is Comparison.GreaterThan or Comparison.LessThan
            && !decimal.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            throw new JourneysValidationException($"{field}.{valueField}", $"must be a number to compare with {comparison}");
    }
}
