using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Engine;

/// <summary>
/// Applies a user's calls to their profile and moves them through the published journeys.
/// The user is at a step until the next step's gate opens: a condition step opens when its condition is met,
/// a send step at once. Entering a send step makes the user a member; leaving it ends the membership unless
/// the step's exit behaviour keeps it.
/// </summary>
public static class JourneyEngine
{
    /// <summary>
    /// Records a track call; the event sequence grows. The event adds to its name's tally and to the tallies of the
    /// catalog's filtered "performed" conditions it matches, each keeping only the occurrences conditions can count.
    /// </summary>
    public static void ApplyTrack(UserState user, TrackEvent trackEvent, DateTimeOffset now, PublishedCatalog catalog)
    {
        RememberIdentity(user, trackEvent.UserId, trackEvent.AnonymousId);
        user.EventSequence++;
        var at = trackEvent.Timestamp ?? now;
        foreach (var (signature, keep) in EventPredicates.Of(catalog).TalliesFor(trackEvent))
        {
            if (!user.Events.TryGetValue(signature, out var tally))
                user.Events[signature] = tally = new EventTally();
            tally.Count++;
            tally.LastSequence = user.EventSequence;
            tally.LastAt = at;
            tally.Recent.Add(new EventOccurrence(user.EventSequence, at));
            if (tally.Recent.Count > keep) tally.Recent.RemoveRange(0, tally.Recent.Count - keep);
        }
    }

    /// <summary>Records an identify call: sets traits (a null value removes one); the event sequence grows.</summary>
    public static void ApplyIdentify(UserState user, IdentifyEvent identifyEvent)
    {
        RememberIdentity(user, identifyEvent.UserId, identifyEvent.AnonymousId);
        user.EventSequence++;
        foreach (var (name, value) in identifyEvent.Traits)
        {
            if (value is null) user.Traits.Remove(name);
            else user.Traits[name] = value;
        }
    }

    /// <summary>
    /// Moves the user as far as the published journeys of <paramref name="catalog"/> let them go now, and
    /// returns the send-step transitions, in the order they happened.
    /// </summary>
    public static IReadOnlyList<Transition> Advance(UserState user, PublishedCatalog catalog, string userKey, DateTimeOffset now)
    {
        var transitions = new List<Transition>();
        var currentCall = new EvaluationContext(user, user.EventSequence - 1, now, catalog);
        foreach (var journey in catalog.Journeys)
        {
            if (journey.Steps.Count == 0 || journey.Status is not (JourneyStatus.Published or JourneyStatus.Paused)) continue;
            user.Journeys.TryGetValue(journey.Id, out var progress);

            if (progress is { Exited: false })
            {
                // Exit events override any step: the user leaves the journey from wherever they are.
                if (journey.ExitCondition is not null && ConditionEvaluator.IsMet(journey.ExitCondition, currentCall))
                {
                    ExitJourney(user, journey, progress, userKey, now, transitions);
                    continue;
                }
                MoveForward(user, catalog, journey, progress, userKey, now, transitions);
                continue;
            }

            // Entry needs the current call: an event performed before the journey went live does not count.
            if (journey.Status == JourneyStatus.Paused) continue;
            if (progress is { Exited: true } && !journey.AllowReEntry) continue;
            if (!ConditionEvaluator.IsMet(journey.EntryCondition, currentCall)) continue;

            progress ??= user.Journeys[journey.Id] = new JourneyProgress();
            progress.Exited = false;
            progress.Entries++;
            progress.StepIndex = -1;
            progress.EnteredAt = now;
            progress.ArrivedAt = now;
            progress.ArrivedSequence = user.EventSequence;
            MoveForward(user, catalog, journey, progress, userKey, now, transitions);
        }
        return transitions;
    }

    /// <summary>
    /// The earliest time a delay the user waits at ends (the user must be woken then: no event will come), or null.
    /// </summary>
    public static DateTimeOffset? NextWakeUp(UserState user, PublishedCatalog catalog)
    {
        DateTimeOffset? earliest = null;
        foreach (var journey in catalog.Journeys)
        {
            if (!user.Journeys.TryGetValue(journey.Id, out var progress) || progress.Exited) continue;
            if (progress.StepIndex + 1 >= journey.Steps.Count) continue;
            var next = journey.Steps[progress.StepIndex + 1];
            if (next.Kind != StepKind.Delay) continue;
            var at = progress.ArrivedAt + (next.Delay ?? TimeSpan.Zero);
            if (earliest is null || at < earliest) earliest = at;
        }
        return earliest;
    }

    private static void ExitJourney(
        UserState user, JourneyInfo journey, JourneyProgress progress, string userKey, DateTimeOffset now, List<Transition> transitions)
    {
        foreach (var step in journey.Steps.Where(s => s.Kind == StepKind.SendToDestinations && s.ExitBehaviour != ExitBehaviour.Never))
            Leave(user, journey, step, progress, userKey, now, transitions);
        progress.Exited = true;
        progress.ArrivedAt = now;
    }

    private static void MoveForward(
        UserState user, PublishedCatalog catalog, JourneyInfo journey, JourneyProgress progress, string userKey, DateTimeOffset now, List<Transition> transitions)
    {
        while (progress.StepIndex + 1 < journey.Steps.Count)
        {
            var next = journey.Steps[progress.StepIndex + 1];
            var gateOpen = next.Kind switch
            {
                StepKind.Condition => next.Condition is not null && ConditionEvaluator.IsMet(next.Condition, new EvaluationContext(user, progress.ArrivedSequence, now, catalog)),
                StepKind.Delay => now >= progress.ArrivedAt + (next.Delay ?? TimeSpan.Zero),
                _ => true,
            };
            if (!gateOpen) return;

            if (progress.StepIndex >= 0)
            {
                var current = journey.Steps[progress.StepIndex];
                if (current.Kind == StepKind.SendToDestinations && current.ExitBehaviour == ExitBehaviour.OnStepLeave)
                    Leave(user, journey, current, progress, userKey, now, transitions);
            }

            progress.StepIndex++;
            progress.ArrivedSequence = user.EventSequence;
            progress.ArrivedAt = now;

            if (next.Kind == StepKind.SendToDestinations)
                Enter(user, journey, next, progress, userKey, now, transitions);
        }
    }

    private static void Enter(
        UserState user, JourneyInfo journey, StepInfo step, JourneyProgress progress, string userKey, DateTimeOffset now, List<Transition> transitions)
    {
        if (!progress.Steps.TryGetValue(step.Id, out var membership))
            progress.Steps[step.Id] = membership = new StepMembership { StepKey = step.Key };
        if (membership.IsMember) return;

        membership.Epoch++;
        membership.IsMember = true;
        membership.Since = now;
        transitions.Add(NewTransition(user, journey, step, userKey, TransitionDirection.Entered, membership.Epoch, now));
    }

    private static void Leave(
        UserState user, JourneyInfo journey, StepInfo step, JourneyProgress progress, string userKey, DateTimeOffset now, List<Transition> transitions)
    {
        if (!progress.Steps.TryGetValue(step.Id, out var membership) || !membership.IsMember) return;

        membership.IsMember = false;
        membership.Since = now;
        transitions.Add(NewTransition(user, journey, step, userKey, TransitionDirection.Exited, membership.Epoch, now));
    }

    private static Transition NewTransition(
        UserState user, JourneyInfo journey, StepInfo step, string userKey, TransitionDirection direction, int epoch, DateTimeOffset now) =>
        new()
        {
            SpaceId = journey.SpaceId,
            JourneyId = journey.Id,
            StepId = step.Id,
            StepKey = step.Key,
            UserKey = userKey,
            UserId = user.UserId,
            AnonymousId = user.AnonymousId,
            Direction = direction,
            Epoch = epoch,
            Sequence = ++user.TransitionSequence,
            OccurredAt = now,
        };

    private static void RememberIdentity(UserState user, string? userId, string? anonymousId)
    {
        if (!string.IsNullOrEmpty(userId)) user.UserId = userId;
        if (!string.IsNullOrEmpty(anonymousId)) user.AnonymousId = anonymousId;
    }
}
