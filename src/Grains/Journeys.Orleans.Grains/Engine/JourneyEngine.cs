using Journeys.Orleans.Model;
using Journeys.Orleans.State;
using Journeys.Orleans.Telemetry.History;

namespace Journeys.Orleans.Engine;

/// <summary>
/// Applies a user's calls to their profile and moves them through the published journeys' step graphs.
/// A user is in a step: they wait in a condition (until it holds, or its timeout sends them down the timeout branch)
/// or a delay; splits and send steps pass them on at once. Entering a send step makes the user a member; with
/// <c>onStepLeave</c> they stay one while they wait in the condition or delay right after it, and leave when they
/// move past it. A user whose every path has ended has finished the journey (an exit).
/// </summary>
public static class JourneyEngine
{
    /// <summary>The most entries of one event-triggered journey a user is in at once.</summary>
    public const int MaxLiveEntries = 100;

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
    /// returns the send-step transitions (what destinations are told), in the order they happened.
    /// </summary>
    /// <param name="user">The user's state, changed in place.</param>
    /// <param name="catalog">The published journeys.</param>
    /// <param name="userKey">The user's key, for transitions and randomized splits.</param>
    /// <param name="now">The time of the call.</param>
    /// <param name="current">The track call being applied, if any: exit events with a match property compare with it.</param>
    /// <param name="stepMoves">Receives every step the user entered or left, send steps included (the timeline).</param>
    /// <param name="backfillJourneyId">
    /// A journey being published with backfill: the user enters it if they meet its entry condition on their history
    /// and never entered it (so a live call at the same moment cannot enter them twice).
    /// </param>
    /// <param name="flow">Receives, when given, the journeys the user entered, the split branches they took and the journeys they exited, with why.</param>
    public static IReadOnlyList<Transition> Advance(
        UserState user, PublishedCatalog catalog, string userKey, DateTimeOffset now,
        TrackEvent? current = null, List<Transition>? stepMoves = null, string? backfillJourneyId = null, List<FlowMove>? flow = null)
    {
        var run = new Run(user, catalog, userKey, now, stepMoves ?? [], flow);
        var currentCall = new EvaluationContext(user, user.EventSequence - 1, now, catalog);
        foreach (var journey in catalog.Journeys)
        {
            if (journey.Steps.Count == 0 || journey.Status == JourneyStatus.Draft) continue;
            var graph = JourneyGraph.Of(journey);
            if (journey.EntryIdentifier is not null)
            {
                AdvanceEntries(user, run, graph, currentCall, current, backfillJourneyId == journey.Id);
                continue;
            }
            user.Journeys.TryGetValue(journey.Id, out var progress);

            if (progress is { Exited: false })
            {
                run.Continue(graph, progress, currentCall, current);
                continue;
            }

            if (journey.ClosedToEntry) continue;
            if (progress is { Exited: true } && !journey.AllowReEntry) continue;
            if (EnteredAnotherVersion(user, catalog, journey)) continue;
            bool qualifies;
            if (backfillJourneyId == journey.Id)
            {
                // Backfill looks at the user's whole history, but only enters someone who never entered.
                qualifies = progress is null && ConditionEvaluator.IsMet(journey.EntryCondition, currentCall with { SinceSequence = 0 });
            }
            else
            {
                // Live entry needs the current call: an event performed before the journey went live does not count.
                qualifies = ConditionEvaluator.IsMet(journey.EntryCondition, currentCall);
            }
            if (!qualifies) continue;

            progress ??= user.Journeys[journey.Id] = new JourneyProgress();
            progress.Entries++;
            progress.EntryMatchValue = journey.ExitMatchProperty is { } property ? current?.Properties.GetValueOrDefault(property) : null;
            run.Start(graph, progress, current);
        }
        return run.Transitions;
    }

    /// <summary>
    /// An event-triggered journey: its entries go on, each on its own, then the current event enters the user again
    /// when it meets the entry condition and carries a value of the entry identifier that no entry inside has. Entries
    /// that ended at an earlier call are dropped first (what they told destinations was written then).
    /// </summary>
    private static void AdvanceEntries(UserState user, Run run, JourneyGraph graph, EvaluationContext currentCall, TrackEvent? current, bool backfill)
    {
        var journey = graph.Journey;
        foreach (var ended in user.Entries.Where(e => e.Value.JourneyId == journey.Id && e.Value.Exited).Select(e => e.Key).ToList())
            user.Entries.Remove(ended);
        foreach (var entry in JourneyEntries.Of(user, journey.Id).ToList()) run.Continue(graph, entry, currentCall, current);

        // Entered by new events only: a backfill has no triggering event to give an entry its value and context.
        if (backfill || current is null || journey.ClosedToEntry || EnteredAnotherVersion(user, currentCall.Catalog!, journey)) return;
        if (current.Properties.GetValueOrDefault(journey.EntryIdentifier!) is not { Length: > 0 } value) return;
        var live = JourneyEntries.Of(user, journey.Id).Where(e => !e.Exited).ToList();
        // A bound on what one user's state holds, whatever the events: a new value beyond it enters nothing.
        if (live.Count >= MaxLiveEntries || live.Any(e => e.EntryValue == value)) return;
        if (!ConditionEvaluator.IsMet(journey.EntryCondition, currentCall)) return;

        var number = ++user.LatestEntry;
        var progress = user.Entries[JourneyEntries.Key(journey.Id, number)] = new JourneyProgress
        {
            JourneyId = journey.Id, Entry = number, EntryValue = value, Entries = 1,
            EntryMatchValue = journey.ExitMatchProperty is { } property ? current.Properties.GetValueOrDefault(property) : null,
        };
        run.Start(graph, progress, current);
    }

    /// <summary>
    /// The earliest time something the user waits for ends on its own — a delay, a condition's timeout, the journey's
    /// exit time — when the user must be woken because no event will come; or null.
    /// </summary>
    public static DateTimeOffset? NextWakeUp(UserState user, PublishedCatalog catalog)
    {
        DateTimeOffset? earliest = null;
        void Consider(DateTimeOffset at)
        {
            if (earliest is null || at < earliest) earliest = at;
        }

        foreach (var journey in catalog.Journeys)
        {
            if (journey.Status == JourneyStatus.Archived) continue;
            // Built once per journey the user is in (most calls are in few of the catalog's journeys).
            JourneyGraph? graph = null;
            foreach (var progress in JourneyEntries.Of(user, journey))
            {
                if (progress.Exited) continue;
                if (journey.ExitAfter is { } exitAfter) Consider(progress.EnteredAt + exitAfter);
                graph ??= JourneyGraph.Of(journey);
                foreach (var position in progress.Positions)
                {
                    var step = graph.Step(position.StepId);
                    if (step?.Kind == StepKind.Delay) Consider(position.ArrivedAt + (step.Delay ?? TimeSpan.Zero));
                    if (step is { Kind: StepKind.Condition, Timeout: { } timeout }) Consider(position.ArrivedAt + timeout);
                }
            }
        }
        return earliest;
    }

    /// <summary>The branch of a randomized split a user goes down: drawn from a hash of the step and the user, so it never changes.</summary>
    public static int RandomizedBranch(StepInfo split, string userKey)
    {
        var draw = Domain.Partitioner.PartitionOf($"{split.Id}/{userKey}", 100);
        var cumulative = 0;
        for (var i = 0; i < split.Branches.Count; i++)
        {
            cumulative += split.Branches[i].Percent ?? 0;
            if (draw < cumulative) return i;
        }
        return split.Branches.Count - 1;
    }

    private static bool IsExitEvent(JourneyInfo journey, JourneyProgress progress, EvaluationContext currentCall, TrackEvent? current)
    {
        if (journey.ExitCondition is null || !ConditionEvaluator.IsMet(journey.ExitCondition, currentCall)) return false;
        if (journey.ExitMatchProperty is not { } property) return true;
        return current is not null && progress.EntryMatchValue is not null
            && string.Equals(current.Properties.GetValueOrDefault(property), progress.EntryMatchValue, StringComparison.Ordinal);
    }

    private static bool EnteredAnotherVersion(UserState user, PublishedCatalog catalog, JourneyInfo journey)
    {
        // A first version has no earlier one (and is closed to entry once a later version is published).
        if (journey.Version == 1) return false;
        foreach (var other in catalog.Journeys)
        {
            if (other.Id != journey.Id && other.LineageId == journey.LineageId && JourneyEntries.Entered(user, other.Id)) return true;
        }
        return false;
    }

    /// <summary>One call's movement of one user: collects the transitions in the order they happen.</summary>
    private sealed class Run(UserState user, PublishedCatalog catalog, string userKey, DateTimeOffset now, List<Transition> stepMoves, List<FlowMove>? flow)
    {
        private const int MaxMovesPerCall = 10_000;

        public List<Transition> Transitions { get; } = [];

        /// <summary>A user inside the journey: archived, exit events and the exit time end it; otherwise they move on.</summary>
        public void Continue(JourneyGraph graph, JourneyProgress progress, EvaluationContext currentCall, TrackEvent? current)
        {
            var journey = graph.Journey;
            if (journey.Status == JourneyStatus.Archived)
            {
                ExitJourney(graph, progress, JourneyExitReason.Archived);
                return;
            }
            // Exit events and the exit time override any step: the user leaves the journey from wherever they are.
            var exitEvent = IsExitEvent(journey, progress, currentCall, current);
            if (exitEvent || (journey.ExitAfter is { } exitAfter && now >= progress.EnteredAt + exitAfter))
            {
                ExitJourney(graph, progress, exitEvent ? JourneyExitReason.ExitEvent : JourneyExitReason.ExitTime);
                return;
            }
            MovePositions(graph, progress);
        }

        /// <summary>Enters the user at the journey's first step and moves them as far as they go.</summary>
        public void Start(JourneyGraph graph, JourneyProgress progress, TrackEvent? current)
        {
            progress.Exited = false;
            progress.ExitedAt = null;
            progress.EnteredAt = now;
            progress.Context = graph.Journey.KeepsContext && current is not null ? new Dictionary<string, string?>(current.Properties, StringComparer.Ordinal) : null;
            flow?.Add(FlowMove.EnteredJourney(graph.Journey.Id, now));
            progress.Positions.Clear();
            var start = new StepPosition { ArrivedSequence = user.EventSequence };
            progress.Positions.Add(start);
            Arrive(graph, progress, start, graph.First!);
            MovePositions(graph, progress);
        }

        public void ExitJourney(JourneyGraph graph, JourneyProgress progress, JourneyExitReason reason)
        {
            var archived = reason == JourneyExitReason.Archived;
            foreach (var position in progress.Positions)
            {
                var step = graph.Step(position.StepId);
                if (step is not null && step.Kind != StepKind.SendToDestinations) Leave(graph.Journey, step, progress);
            }
            progress.Positions.Clear();
            foreach (var step in graph.Journey.Steps)
            {
                if (step.Kind != StepKind.SendToDestinations) continue;
                // Archiving is not an exit: only onStepLeave members leave (SPEC section 4).
                var leaves = archived ? step.ExitBehaviour == ExitBehaviour.OnStepLeave : step.ExitBehaviour != ExitBehaviour.Never;
                if (leaves) Leave(graph.Journey, step, progress);
            }
            progress.Exited = true;
            progress.ExitedAt = now;
            flow?.Add(FlowMove.ExitedJourney(graph.Journey.Id, reason, now));
        }

        /// <summary>Moves every position as far as it can go now; a user with no position left has finished the journey.</summary>
        public void MovePositions(JourneyGraph graph, JourneyProgress progress)
        {
            var moves = 0;
            bool moved;
            do
            {
                moved = false;
                foreach (var position in progress.Positions.ToList())
                {
                    if (!progress.Positions.Contains(position)) continue;
                    if (TryMove(graph, progress, position)) moved = true;
                    if (++moves > MaxMovesPerCall) throw new InvalidOperationException($"Journey {graph.Journey.Id} did not settle: its graph has a cycle.");
                }
            } while (moved);

            if (progress.Positions.Count == 0) ExitJourney(graph, progress, JourneyExitReason.Finished);
        }

        public void Arrive(JourneyGraph graph, JourneyProgress progress, StepPosition position, StepInfo step)
        {
            // Two paths meeting at one step (a merge) go on as one, which keeps what both held.
            if (progress.Positions.FirstOrDefault(p => p != position && p.StepId == step.Id) is { } there)
            {
                there.HeldSendStepIds.AddRange(position.HeldSendStepIds.Except(there.HeldSendStepIds));
                position.HeldSendStepIds.Clear();
                Drop(graph, progress, position);
                return;
            }
            position.StepId = step.Id;
            position.ArrivedAt = now;
            if (step.Kind is not (StepKind.TrueFalseSplit or StepKind.MultiBranchSplit or StepKind.RandomizedSplit))
                position.ArrivedSequence = user.EventSequence;
            Enter(graph.Journey, step, progress);
        }

        private bool TryMove(JourneyGraph graph, JourneyProgress progress, StepPosition position)
        {
            var step = graph.Step(position.StepId);
            if (step is null)
            {
                Drop(graph, progress, position);
                return true;
            }
            var since = new EvaluationContext(user, position.ArrivedSequence, now, catalog);
            switch (step.Kind)
            {
                case StepKind.SendToDestinations:
                    // A send step at the end of a path keeps the user there until they exit the journey.
                    if (graph.Next(step) is not { } afterSend) return false;
                    MoveTo(graph, progress, position, step, afterSend);
                    return true;
                case StepKind.Condition:
                    if (step.Condition is not null && ConditionEvaluator.IsMet(step.Condition, since))
                        return MoveOrEnd(graph, progress, position, step, graph.Next(step));
                    if (step.Timeout is { } timeout && now >= position.ArrivedAt + timeout)
                        return MoveOrEnd(graph, progress, position, step, graph.ByRef(step.TimeoutNext));
                    return false;
                case StepKind.Delay:
                    if (now < position.ArrivedAt + (step.Delay ?? TimeSpan.Zero)) return false;
                    return MoveOrEnd(graph, progress, position, step, graph.Next(step));
                case StepKind.TrueFalseSplit:
                    var branch = step.Condition is not null && ConditionEvaluator.IsMet(step.Condition, since) ? 0 : 1;
                    // A split without that branch sends no one down it: nothing to count.
                    if (branch < step.Branches.Count) Took(graph, step, branch);
                    return MoveOrEnd(graph, progress, position, step, graph.ByRef(step.Branches.ElementAtOrDefault(branch)?.Next));
                case StepKind.RandomizedSplit:
                    var drawn = RandomizedBranch(step, userKey);
                    Took(graph, step, drawn);
                    return MoveOrEnd(graph, progress, position, step, graph.ByRef(step.Branches[drawn].Next));
                case StepKind.MultiBranchSplit:
                    var chosen = step.Branches.Where(b => b.Condition is not null && ConditionEvaluator.IsMet(b.Condition, since)).ToList();
                    if (chosen.Count == 0) chosen = step.Branches.Where(b => b.Condition is null).Take(1).ToList();
                    if (chosen.Count == 0) return false;
                    for (var b = 0; b < step.Branches.Count; b++)
                        if (chosen.Any(c => ReferenceEquals(c, step.Branches[b]))) Took(graph, step, b);
                    var targets = chosen.Select(b => graph.ByRef(b.Next)).OfType<StepInfo>().DistinctBy(s => s.Id).ToList();
                    if (targets.Count == 0) return MoveOrEnd(graph, progress, position, step, null);
                    var (arrivedAt, arrivedSequence) = (position.ArrivedAt, position.ArrivedSequence);
                    MoveTo(graph, progress, position, step, targets[0]);
                    foreach (var extra in targets.Skip(1))
                    {
                        var fork = new StepPosition { StepId = step.Id, ArrivedAt = arrivedAt, ArrivedSequence = arrivedSequence };
                        progress.Positions.Add(fork);
                        Arrive(graph, progress, fork, extra);
                    }
                    return true;
                default:
                    return false;
            }
        }

        private void Took(JourneyGraph graph, StepInfo split, int branch) =>
            flow?.Add(FlowMove.TookBranch(graph.Journey.Id, split.Id, branch, now));

        private bool MoveOrEnd(JourneyGraph graph, JourneyProgress progress, StepPosition position, StepInfo from, StepInfo? to)
        {
            if (to is null)
            {
                Drop(graph, progress, position);
                return true;
            }
            MoveTo(graph, progress, position, from, to);
            return true;
        }

        private void MoveTo(JourneyGraph graph, JourneyProgress progress, StepPosition position, StepInfo from, StepInfo to)
        {
            if (from.Kind == StepKind.SendToDestinations)
            {
                // A user waiting right after an onStepLeave send step is still in it (the seed's "Opened Email" holds the
                // users waiting for their second order); anything else moves them on.
                if (from.ExitBehaviour == ExitBehaviour.OnStepLeave)
                {
                    if (JourneyGraph.IsWait(to)) position.HeldSendStepIds.Add(from.Id);
                    else ReleaseSendStep(graph, progress, from.Id, position);
                }
            }
            else
            {
                Leave(graph.Journey, from, progress);
                ReleaseHeld(graph, progress, position);
            }
            Arrive(graph, progress, position, to);
        }

        private void Drop(JourneyGraph graph, JourneyProgress progress, StepPosition position)
        {
            progress.Positions.Remove(position);
            var step = graph.Step(position.StepId);
            if (step is not null && step.Kind != StepKind.SendToDestinations && !progress.Positions.Any(p => p.StepId == step.Id))
                Leave(graph.Journey, step, progress);
            ReleaseHeld(graph, progress, position);
        }

        private void ReleaseHeld(JourneyGraph graph, JourneyProgress progress, StepPosition position)
        {
            var held = position.HeldSendStepIds.ToList();
            position.HeldSendStepIds.Clear();
            foreach (var sendStepId in held) ReleaseSendStep(graph, progress, sendStepId, position);
        }

        private void ReleaseSendStep(JourneyGraph graph, JourneyProgress progress, string sendStepId, StepPosition leaving)
        {
            // Another path still in (or held by) the send step keeps the user a member.
            if (progress.Positions.Any(p => p != leaving && (p.StepId == sendStepId || p.HeldSendStepIds.Contains(sendStepId)))) return;
            if (graph.Step(sendStepId) is { } step) Leave(graph.Journey, step, progress);
        }

        private void Enter(JourneyInfo journey, StepInfo step, JourneyProgress progress)
        {
            if (!progress.Steps.TryGetValue(step.Id, out var membership))
                progress.Steps[step.Id] = membership = new StepMembership { StepKey = step.Key };
            if (membership.IsMember) return;

            // An entry's steps all take its number as their epoch: unique among the user's entries, so each entry's
            // payloads have ids of their own, and member sets can tell its membership from another entry's.
            membership.Epoch = progress.Entry > 0 ? progress.Entry : membership.Epoch + 1;
            membership.IsMember = true;
            membership.Since = now;
            Record(journey, step, progress, TransitionDirection.Entered, membership.Epoch);
        }

        private void Leave(JourneyInfo journey, StepInfo step, JourneyProgress progress)
        {
            if (!progress.Steps.TryGetValue(step.Id, out var membership) || !membership.IsMember) return;

            membership.IsMember = false;
            membership.Since = now;
            Record(journey, step, progress, TransitionDirection.Exited, membership.Epoch);
        }

        private void Record(JourneyInfo journey, StepInfo step, JourneyProgress progress, TransitionDirection direction, int epoch)
        {
            var transition = NewTransition(user, journey, step, progress, userKey, direction, epoch, now);
            stepMoves.Add(transition);
            if (step.Kind == StepKind.SendToDestinations) Transitions.Add(transition);
        }
    }

    private static Transition NewTransition(
        UserState user, JourneyInfo journey, StepInfo step, JourneyProgress progress, string userKey, TransitionDirection direction, int epoch,
        DateTimeOffset now) =>
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
            StepKind = step.Kind,
            Entry = progress.Entry,
            Context = step.SendJourneyContext ? progress.Context : null,
        };

    private static void RememberIdentity(UserState user, string? userId, string? anonymousId)
    {
        if (!string.IsNullOrEmpty(userId)) user.UserId = userId;
        if (!string.IsNullOrEmpty(anonymousId)) user.AnonymousId = anonymousId;
    }
}
