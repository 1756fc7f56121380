using Journeys.Orleans.Model;
using Journeys.Orleans.Payloads;

namespace Journeys.Orleans.Domain;

/// <summary>Checks of journey, step and destination definitions: each problem names the field and the reason.</summary>
public static partial class DefinitionRules
{
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex RefPattern();

    /// <summary>The longest journey name (Segment's limit).</summary>
    public const int MaxJourneyNameLength = 73;

    /// <summary>The longest step name (Segment's limit).</summary>
    public const int MaxStepNameLength = 170;

    /// <summary>The longest destination name.</summary>
    public const int MaxDestinationNameLength = 100;

    /// <summary>The most steps a journey has.</summary>
    public const int MaxSteps = 100;

    /// <summary>The most versions of one journey.</summary>
    public const int MaxVersions = 25;

    /// <summary>The longest wait: a delay, a condition's timeout, a journey's exit time.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(182);

    /// <summary>The longest event property name an entry identifier may name.</summary>
    public const int MaxPropertyNameLength = 255;

    /// <summary>Throws when the journey definition is not acceptable.</summary>
    public static void Check(JourneyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CheckName(definition.Name, "name", MaxJourneyNameLength);
        CheckCondition(definition.EntryCondition, "entryCondition");
        if (definition.ExitCondition is not null) CheckCondition(definition.ExitCondition, "exitCondition");
        if (definition.ExitAfter is { } exitAfter && (exitAfter < TimeSpan.FromMinutes(1) || exitAfter > LongestWait))
            throw new JourneysValidationException("exitAfter", "must be between 1 minute and 182 days");
        if (definition.ExitMatchProperty is not null)
        {
            if (string.IsNullOrWhiteSpace(definition.ExitMatchProperty))
                throw new JourneysValidationException("exitMatchProperty", "must not be blank");
            if (definition.ExitCondition is null)
                throw new JourneysValidationException("exitMatchProperty", "needs an exit condition to match");
        }
        if (definition.EntryIdentifier is not null)
        {
            if (string.IsNullOrWhiteSpace(definition.EntryIdentifier) || definition.EntryIdentifier.Length > MaxPropertyNameLength)
                throw new JourneysValidationException("entryIdentifier", $"must be an event property's name (1 to {MaxPropertyNameLength} characters)");
            // The entry condition is the triggering event: entries are made by events, each with its value. A window or a
            // count would let an earlier event make any later call (carrying the property) an entry.
            var trigger = definition.EntryCondition;
            if (trigger.Kind != ConditionKind.PerformedEvent)
                throw new JourneysValidationException("entryIdentifier", "needs an entry condition that is a performed event (the triggering event)");
            if (trigger.Window != EventWindow.SinceStep)
                throw new JourneysValidationException("entryCondition.window", "the triggering event is the current call: the window must be sinceStep");
            if (trigger.CountComparison != CountComparison.AtLeast || trigger.Count > 1)
                throw new JourneysValidationException("entryCondition.count", "the triggering event is one event: at least 1");
            // Entries that reach the end of a send step stay until they exit: the exit time keeps their number bounded.
            if (definition.ExitAfter is null)
                throw new JourneysValidationException("exitAfter", "an event-triggered journey (entryIdentifier) needs an exit time, so its entries end");
            if (definition.BackfillOnPublish)
                throw new JourneysValidationException("backfillOnPublish", "an event-triggered journey (entryIdentifier) is entered by new events only");
        }
    }

    /// <summary>
    /// Throws at the first problem of a whole journey document: the journey, each step (fields named
    /// <c>steps[i].…</c>), the references between steps, and cycles.
    /// </summary>
    public static void Check(JourneyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Journey is null) throw new JourneysValidationException("journey", "is required");
        Check(document.Journey);
        if (document.Steps is null) throw new JourneysValidationException("steps", "must be a list");
        for (var i = 0; i < document.Steps.Count; i++)
        {
            var step = document.Steps[i]?.Step ?? throw new JourneysValidationException($"steps[{i}].step", "is required");
            Prefixed($"steps[{i}]", () => Check(step));
            var connections = document.Steps[i].Connections ?? [];
            if (connections.Count > 0 && step.Kind != StepKind.SendToDestinations)
                throw new JourneysValidationException($"steps[{i}].connections", "only a send to destinations step connects to destinations");
            for (var c = 0; c < connections.Count; c++)
            {
                if (string.IsNullOrWhiteSpace(connections[c]?.DestinationId))
                    throw new JourneysValidationException($"steps[{i}].connections[{c}].destinationId", "is required");
                Prefixed($"steps[{i}].connections[{c}]", () => Check(connections[c].Settings));
            }
        }
        CheckGraph(document.Steps.Select(s => s.Step).ToList());
    }

    /// <summary>
    /// Throws when the steps do not form a journey graph: at most 100 steps; refs unique; every next, branch and
    /// timeout branch naming a step of the journey; no cycle.
    /// </summary>
    public static void CheckGraph(IReadOnlyList<StepDefinition> steps)
    {
        if (steps.Count > MaxSteps)
            throw new JourneysValidationException("steps", $"a journey has at most {MaxSteps} steps (got {steps.Count})");
        var refs = RefsOf(steps);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < refs.Count; i++)
        {
            if (!index.TryAdd(refs[i], i))
                throw new JourneysValidationException($"steps[{i}].ref", $"\"{refs[i]}\" is already the ref of steps[{index[refs[i]]}]");
        }

        var edges = new List<int>[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            edges[i] = [];
            void Edge(string? target, string field)
            {
                if (target is null || target == StepRefs.End) return;
                if (!index.TryGetValue(target, out var to))
                    throw new JourneysValidationException($"steps[{i}].{field}", $"refers to an unknown step \"{target}\"");
                edges[i].Add(to);
            }
            var step = steps[i];
            if (IsSplit(step.Kind))
            {
                for (var b = 0; b < step.Branches.Count; b++) Edge(step.Branches[b].Next, $"branches[{b}].next");
            }
            else if (step.Next is null)
            {
                if (i + 1 < steps.Count) edges[i].Add(i + 1);
            }
            else
            {
                Edge(step.Next, "next");
            }
            Edge(step.TimeoutNext, "timeoutNext");
        }

        // Depth-first search: meeting a step still on the path is a loop back.
        var colour = new int[steps.Count];
        for (var start = 0; start < steps.Count; start++)
        {
            if (colour[start] != 0) continue;
            var stack = new Stack<(int Step, int Edge)>();
            stack.Push((start, 0));
            colour[start] = 1;
            while (stack.Count > 0)
            {
                var (at, edge) = stack.Pop();
                if (edge < edges[at].Count)
                {
                    stack.Push((at, edge + 1));
                    var to = edges[at][edge];
                    if (colour[to] == 1)
                        throw new JourneysValidationException($"steps[{at}]", $"leads back to \"{refs[to]}\": a journey cannot loop (cycle)");
                    if (colour[to] == 0)
                    {
                        colour[to] = 1;
                        stack.Push((to, 0));
                    }
                }
                else
                {
                    colour[at] = 2;
                }
            }
        }
    }

    /// <summary>The refs of steps: as given, else <c>step-</c> and the 1-based position.</summary>
    public static IReadOnlyList<string> RefsOf(IReadOnlyList<StepDefinition> steps) =>
        steps.Select((s, i) => s.Ref ?? DefaultRef(i)).ToList();

    /// <summary>The ref of the step at <paramref name="index"/> when it has none.</summary>
    public static string DefaultRef(int index) => $"step-{index + 1}";

    private static bool IsSplit(StepKind kind) => kind is StepKind.TrueFalseSplit or StepKind.MultiBranchSplit or StepKind.RandomizedSplit;

    private static void Prefixed(string prefix, Action check)
    {
        try
        {
            check();
        }
        catch (JourneysValidationException ex)
        {
            throw new JourneysValidationException($"{prefix}.{ex.Field}", ex.Reason);
        }
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
        if (definition.Ref is not null && (definition.Ref == StepRefs.End || !RefPattern().IsMatch(definition.Ref)))
            throw new JourneysValidationException("ref", "must be 1 to 64 of [A-Za-z0-9_-] and not \"end\"");
        if (definition.Next is not null && definition.Next.Length == 0)
            throw new JourneysValidationException("next", "must name a step or be \"end\"");
        switch (definition.Kind)
        {
            case StepKind.Condition or StepKind.TrueFalseSplit:
                CheckCondition(definition.Condition, "condition");
                break;
            case StepKind.Delay:
                if (definition.Delay is not { } delay || delay < TimeSpan.FromMinutes(1) || delay > LongestWait)
                    throw new JourneysValidationException("delay", "must be between 1 minute and 182 days");
                break;
        }
        if (definition.Kind is not (StepKind.Condition or StepKind.TrueFalseSplit) && definition.Condition is not null)
            throw new JourneysValidationException("condition", $"a {definition.Kind} step has no condition");
        if (definition.Kind != StepKind.Delay && definition.Delay is not null)
            throw new JourneysValidationException("delay", "only a delay step has a delay");
        if (definition.Kind != StepKind.SendToDestinations && definition.SendJourneyContext)
            throw new JourneysValidationException("sendJourneyContext", "only a send to destinations step sends the journey's context");
        if (definition.Kind != StepKind.SendToDestinations && definition.ExitBehaviour != ExitBehaviour.OnStepLeave)
            throw new JourneysValidationException("exitBehaviour", "only a send to destinations step has an exit behaviour");

        if (definition.Timeout is { } timeout)
        {
            if (definition.Kind != StepKind.Condition)
                throw new JourneysValidationException("timeout", "only a condition step has a timeout");
            if (timeout < TimeSpan.FromMinutes(1) || timeout > LongestWait)
                throw new JourneysValidationException("timeout", "must be between 1 minute and 182 days");
        }
        if (definition.TimeoutNext is not null && definition.Timeout is null)
            throw new JourneysValidationException("timeoutNext", "a timeout branch needs a timeout");
        CheckBranches(definition);
    }

    private static void CheckBranches(StepDefinition definition)
    {
        var branches = definition.Branches ?? throw new JourneysValidationException("branches", "must be a list");
        if (!IsSplit(definition.Kind))
        {
            if (branches.Count > 0) throw new JourneysValidationException("branches", $"only a split has branches; this is a {definition.Kind} step");
            return;
        }
        if (definition.Next is not null)
            throw new JourneysValidationException("next", "a split leads on through its branches, not next");
        if (definition.Kind == StepKind.TrueFalseSplit && branches.Count != 2)
            throw new JourneysValidationException("branches", $"a true/false split has exactly 2 branches, true then false (got {branches.Count})");
        if (branches.Count < 2)
            throw new JourneysValidationException("branches", $"a split needs at least 2 branches (got {branches.Count})");
        if (branches.Count > 20)
            throw new JourneysValidationException("branches", $"a split has at most 20 branches (got {branches.Count})");
        for (var b = 0; b < branches.Count; b++)
        {
            var branch = branches[b] ?? throw new JourneysValidationException($"branches[{b}]", "is required");
            CheckName(branch.Name, $"branches[{b}].name", MaxStepNameLength);
            if (string.IsNullOrWhiteSpace(branch.Next))
                throw new JourneysValidationException($"branches[{b}].next", "is empty: every branch leads to a step (or \"end\")");
            if (definition.Kind == StepKind.MultiBranchSplit && branch.Condition is not null)
                CheckCondition(branch.Condition, $"branches[{b}].condition");
            else if (branch.Condition is not null)
                throw new JourneysValidationException($"branches[{b}].condition", "only a multi-branch split's branches have conditions");
            if (definition.Kind == StepKind.RandomizedSplit)
            {
                if (branch.Percent is not (>= 1 and <= 100))
                    throw new JourneysValidationException($"branches[{b}].percent", "must be between 1 and 100");
            }
            else if (branch.Percent is not null)
                throw new JourneysValidationException($"branches[{b}].percent", "only a randomized split's branches have percentages");
        }
        if (definition.Kind == StepKind.RandomizedSplit && branches.Sum(b => b.Percent ?? 0) is var total && total != 100)
            throw new JourneysValidationException("branches", $"the percentages of a randomized split sum to 100 (got {total})");
        if (definition.Kind == StepKind.MultiBranchSplit && branches.Count(b => b.Condition is null) > 1)
            throw new JourneysValidationException("branches", "a multi-branch split has at most one branch without a condition (everyone else)");
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
        if (settings.Identifiers is not { Count: > 0 } identifiers) return;
        if (identifiers.Count > MaxIdentifiers)
            throw new JourneysValidationException("settings.identifiers", $"at most {MaxIdentifiers} identifiers (got {identifiers.Count})");
        for (var i = 0; i < identifiers.Count; i++)
            CheckName(identifiers[i], $"settings.identifiers[{i}]", 100);
        if (identifiers.Distinct(StringComparer.Ordinal).Count() != identifiers.Count)
            throw new JourneysValidationException("settings.identifiers", "names an identifier twice");
        if (!identifiers.Contains(PayloadIdentifiers.UserId) && !identifiers.Contains(PayloadIdentifiers.AnonymousId))
            throw new JourneysValidationException("settings.identifiers", "must include userId, anonymousId or both: every Segment call names its user");
    }

    private const int MaxIdentifiers = 10;

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
