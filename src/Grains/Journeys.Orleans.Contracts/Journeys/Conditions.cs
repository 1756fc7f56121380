namespace Journeys.Orleans.Model;

/// <summary>What a condition tests.</summary>
public enum ConditionKind
{
    /// <summary>The user performed an event (optionally with property filters, a count and a time window).</summary>
    PerformedEvent = 0,

    /// <summary>The user's trait currently equals a value.</summary>
    TraitEquals = 1,

    /// <summary>All of <see cref="Condition.Conditions"/> hold.</summary>
    And = 2,

    /// <summary>At least one of <see cref="Condition.Conditions"/> holds.</summary>
    Or = 3,

    /// <summary>The single condition in <see cref="Condition.Conditions"/> does not hold.</summary>
    Not = 4,

    /// <summary>The user's trait compares to a value with <see cref="Condition.Comparison"/>.</summary>
    Trait = 5,

    /// <summary>The user is at <see cref="Condition.StepId"/> of <see cref="Condition.JourneyId"/>.</summary>
    InStep = 6,
}

/// <summary>How a value (a trait, an event property) is compared. Numbers compare as numbers.</summary>
public enum Comparison
{
    Equals = 0,
    NotEquals = 1,
    Contains = 2,
    GreaterThan = 3,
    LessThan = 4,
    Exists = 5,
}

/// <summary>How the number of matching events compares to <see cref="Condition.Count"/>.</summary>
public enum CountComparison
{
    AtLeast = 0,
    AtMost = 1,
    Exactly = 2,
}

/// <summary>Which events count.</summary>
public enum EventWindow
{
    /// <summary>Those performed since the user reached their current position (or, for entry, the current call).</summary>
    SinceStep = 0,

    /// <summary>Those performed within <see cref="Condition.Within"/> before now.</summary>
    FromNow = 1,

    /// <summary>All of them.</summary>
    Ever = 2,
}

/// <summary>A filter on an event's property.</summary>
[GenerateSerializer, Immutable, Alias("journeys.PropertyFilter")]
public sealed record PropertyFilter(
    [property: Id(0)] string Property,
    [property: Id(1)] Comparison Comparison,
    [property: Id(2)] string? Value = null);

/// <summary>
/// A condition a user must meet: to enter a journey, or to pass a condition ("wait until") step. Composable with
/// <see cref="ConditionKind.And"/>, <see cref="ConditionKind.Or"/> and <see cref="ConditionKind.Not"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("journeys.Condition")]
public sealed record Condition
{
    /// <summary>What the condition tests.</summary>
    [Id(0)] public ConditionKind Kind { get; init; }

    /// <summary>For <see cref="ConditionKind.PerformedEvent"/>: the event name, compared exactly.</summary>
    [Id(1)] public string? EventName { get; init; }

    /// <summary>For trait conditions: the trait name.</summary>
    [Id(2)] public string? TraitName { get; init; }

    /// <summary>For trait conditions: the value, compared with the trait's text form.</summary>
    [Id(3)] public string? TraitValue { get; init; }

    /// <summary>For <see cref="ConditionKind.And"/>, <see cref="ConditionKind.Or"/>, <see cref="ConditionKind.Not"/>.</summary>
    [Id(4)] public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>For <see cref="ConditionKind.PerformedEvent"/>: every filter must match the event's properties.</summary>
    [Id(5)] public IReadOnlyList<PropertyFilter> PropertyFilters { get; init; } = [];

    /// <summary>For <see cref="ConditionKind.PerformedEvent"/>: how the number of matching events compares to <see cref="Count"/>.</summary>
    [Id(6)] public CountComparison CountComparison { get; init; }

    /// <summary>For <see cref="ConditionKind.PerformedEvent"/>: the number of matching events (0 to 100; 1 by default).</summary>
    [Id(7)] public int Count { get; init; } = 1;

    /// <summary>For <see cref="ConditionKind.PerformedEvent"/>: which events count.</summary>
    [Id(8)] public EventWindow Window { get; init; }

    /// <summary>For <see cref="EventWindow.FromNow"/>: how far back.</summary>
    [Id(9)] public TimeSpan? Within { get; init; }

    /// <summary>For <see cref="ConditionKind.Trait"/>: the comparison.</summary>
    [Id(10)] public Comparison Comparison { get; init; }

    /// <summary>For <see cref="ConditionKind.InStep"/>: the journey.</summary>
    [Id(11)] public string? JourneyId { get; init; }

    /// <summary>For <see cref="ConditionKind.InStep"/>: the step.</summary>
    [Id(12)] public string? StepId { get; init; }

    /// <summary>A condition met when the user performs <paramref name="eventName"/>.</summary>
    public static Condition Performed(string eventName, params PropertyFilter[] filters) =>
        new() { Kind = ConditionKind.PerformedEvent, EventName = eventName, PropertyFilters = filters };

    /// <summary>A condition met while the user's trait <paramref name="traitName"/> equals <paramref name="value"/>.</summary>
    public static Condition TraitIs(string traitName, string value) =>
        new() { Kind = ConditionKind.TraitEquals, TraitName = traitName, TraitValue = value };

    /// <summary>A condition on a trait with any comparison.</summary>
    public static Condition TraitCompares(string traitName, Comparison comparison, string? value = null) =>
        new() { Kind = ConditionKind.Trait, TraitName = traitName, Comparison = comparison, TraitValue = value };

    /// <summary>All of <paramref name="conditions"/>.</summary>
    public static Condition All(params Condition[] conditions) => new() { Kind = ConditionKind.And, Conditions = conditions };

    /// <summary>Any of <paramref name="conditions"/>.</summary>
    public static Condition Any(params Condition[] conditions) => new() { Kind = ConditionKind.Or, Conditions = conditions };

    /// <summary>Not <paramref name="condition"/>.</summary>
    public static Condition NotThat(Condition condition) => new() { Kind = ConditionKind.Not, Conditions = [condition] };

    /// <summary>Value equality, the lists included element by element (a record alone compares lists by reference).</summary>
    public bool Equals(Condition? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            Kind == other.Kind && EventName == other.EventName && TraitName == other.TraitName && TraitValue == other.TraitValue
            && ValueLists.Same(Conditions, other.Conditions) && ValueLists.Same(PropertyFilters, other.PropertyFilters)
            && CountComparison == other.CountComparison && Count == other.Count && Window == other.Window && Within == other.Within
            && Comparison == other.Comparison && JourneyId == other.JourneyId && StepId == other.StepId);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, EventName, TraitName, TraitValue, Conditions?.Count ?? 0, PropertyFilters?.Count ?? 0, JourneyId, StepId);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ConditionKind.PerformedEvent => $"performed \"{EventName}\"",
        ConditionKind.TraitEquals => $"trait {TraitName} = \"{TraitValue}\"",
        ConditionKind.Trait => $"trait {TraitName} {Comparison} \"{TraitValue}\"",
        ConditionKind.And => "(" + string.Join(" and ", Conditions) + ")",
        ConditionKind.Or => "(" + string.Join(" or ", Conditions) + ")",
        ConditionKind.Not => $"not {Conditions.FirstOrDefault()}",
        ConditionKind.InStep => $"in step {StepId} of {JourneyId}",
        _ => Kind.ToString(),
    };
}
