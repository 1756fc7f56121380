namespace Journeys.Orleans.Model;

/// <summary>What a condition tests.</summary>
public enum ConditionKind
{
    /// <summary>The user has performed the named event (since they reached their current position).</summary>
    PerformedEvent = 0,

    /// <summary>The user's trait currently has the given value.</summary>
    TraitEquals = 1,
}

/// <summary>
/// A condition a user must meet: to enter a journey, or to pass a condition ("wait until") step.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.Condition")]
public sealed record Condition
{
    /// <summary>What the condition tests.</summary>
    [Id(0)] public ConditionKind Kind { get; init; }

    /// <summary>For <see cref="ConditionKind.PerformedEvent"/>: the event name, compared exactly.</summary>
    [Id(1)] public string? EventName { get; init; }

    /// <summary>For <see cref="ConditionKind.TraitEquals"/>: the trait name.</summary>
    [Id(2)] public string? TraitName { get; init; }

    /// <summary>For <see cref="ConditionKind.TraitEquals"/>: the value, compared with the trait's text form.</summary>
    [Id(3)] public string? TraitValue { get; init; }

    /// <summary>A condition met when the user performs <paramref name="eventName"/>.</summary>
    public static Condition Performed(string eventName) => new() { Kind = ConditionKind.PerformedEvent, EventName = eventName };

    /// <summary>A condition met while the user's trait <paramref name="traitName"/> equals <paramref name="value"/>.</summary>
    public static Condition TraitIs(string traitName, string value) =>
        new() { Kind = ConditionKind.TraitEquals, TraitName = traitName, TraitValue = value };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ConditionKind.PerformedEvent => $"performed \"{EventName}\"",
        ConditionKind.TraitEquals => $"trait {TraitName} = \"{TraitValue}\"",
        _ => Kind.ToString(),
    };
}
