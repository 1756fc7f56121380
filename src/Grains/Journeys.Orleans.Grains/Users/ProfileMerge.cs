using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.SpaceIndex;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>
/// Merging an anonymous profile into an identified one (identity resolution). The anonymous profile hands over its
/// state and leaves the member sets its user key is in (<see cref="Departures"/>); the identified profile absorbs it
/// once (<see cref="Absorb"/>): traits it lacks, event tallies (the anonymous history first), journey positions and
/// memberships it does not have already, so no merge enters a user into a journey twice. Pure: no grains, no storage.
/// </summary>
public static class ProfileMerge
{
    /// <summary>
    /// What the handed-over profile takes out of member sets, in the same commit as its hand-over: its rows in the
    /// space's index (its steps and the user directory, added to <paramref name="from"/>'s index changes: walks then pass
    /// it by) and in list destinations (returned), which are keyed by its own user key. Event destinations are told
    /// nothing: the memberships go on in the profile that absorbs them.
    /// </summary>
    public static IEnumerable<TransitionDelivery> Departures(UserState from, PublishedCatalog catalog, string spaceId, string fromKey, DateTimeOffset now)
    {
        var told = new List<TransitionDelivery>();
        // An exited progress can still hold memberships (a send step whose members never leave): they move too.
        foreach (var (journeyId, progress) in JourneyEntries.All(from))
        {
            foreach (var (stepId, membership) in progress.Steps)
            {
                if (!membership.IsMember) continue;
                // Member sets hold an entry's user at the newest entry's epoch: only the latest entry number removes it.
                var epoch = progress.Entry > 0 ? from.LatestEntry : membership.Epoch;
                var exit = Announcements.EntryOf(from, spaceId, fromKey, journeyId, stepId, membership) with
                {
                    Direction = TransitionDirection.Exited, Epoch = epoch, OccurredAt = now, Entry = progress.Entry,
                };
                from.IndexChanges.Add(exit);
                foreach (var list in ListsOf(catalog, journeyId, stepId)) told.Add(new TransitionDelivery(exit, list));
            }
        }
        if (from.Listed)
            from.IndexChanges.Add(SpaceIndexChanges.Directory(spaceId, fromKey, null, from.AnonymousId, now, TransitionDirection.Exited));
        return told;
    }

    /// <summary>
    /// Absorbs <paramref name="from"/>, the handed-over state of the anonymous profile <paramref name="anonymousId"/>,
    /// into <paramref name="into"/>; returns what destinations are told of it: the moved memberships entering lists under
    /// the identified user's key (and the space's index, through <paramref name="into"/>'s index changes), and, for a
    /// journey the identified profile is in already, exits of the anonymous memberships to the event destinations that
    /// heard of them.
    /// </summary>
    public static List<TransitionDelivery> Absorb(
        UserState into, UserState from, string anonymousId, PublishedCatalog catalog, string spaceId, string intoKey, string fromKey,
        DateTimeOffset now, int timelineKept, int messageIdsKept)
    {
        var told = new List<TransitionDelivery>();
        // The ids the moved memberships are told with: a profile made by this very call knows them only from its key.
        into.UserId ??= GrainKeys.IdsOf(intoKey)?.UserId;
        into.AnonymousId ??= anonymousId;
        MergeHistory(into, from);
        foreach (var (name, value) in from.Traits) into.Traits.TryAdd(name, value);
        // The anonymous profile's ids are kept last: a call it took whose answer was lost comes back here when retried.
        into.RecentMessageIds = into.RecentMessageIds.Except(from.RecentMessageIds).Concat(from.RecentMessageIds).TakeLast(messageIdsKept).ToList();
        into.RecentTransitions = from.RecentTransitions.Concat(into.RecentTransitions).OrderBy(t => t.OccurredAt).TakeLast(timelineKept).ToList();
        into.TransitionSequence += from.TransitionSequence;

        foreach (var (journeyId, progress) in from.Journeys)
        {
            if (JourneyEntries.Entered(into, journeyId) || EnteredAnotherVersion(into, catalog, journeyId))
                told.AddRange(Dropped(from, progress, catalog, spaceId, fromKey, journeyId, into.UserId, anonymousId, now));
            else
            {
                SinceNow(into, progress);
                into.Journeys[journeyId] = progress;
                Arrive(into, progress, catalog, spaceId, intoKey, journeyId, anonymousId, told);
            }
        }
        foreach (var entry in from.Entries.Values.Where(e => !e.Exited).OrderBy(e => e.Entry))
        {
            var journeyId = entry.JourneyId ?? "";
            if (into.Entries.Values.Any(e => e.JourneyId == journeyId && !e.Exited && e.EntryValue == entry.EntryValue))
            {
                told.AddRange(Dropped(from, entry, catalog, spaceId, fromKey, journeyId, into.UserId, anonymousId, now));
                continue;
            }
            // Numbered again among the identified user's entries: numbers (and so epochs and message ids) stay unique.
            entry.Entry = ++into.LatestEntry;
            foreach (var membership in entry.Steps.Values) membership.Epoch = entry.Entry;
            SinceNow(into, entry);
            into.Entries[JourneyEntries.Key(journeyId, entry.Entry)] = entry;
            Arrive(into, entry, catalog, spaceId, intoKey, journeyId, anonymousId, told);
        }
        if (!into.MergedAnonymousIds.Contains(anonymousId)) into.MergedAnonymousIds.Add(anonymousId);
        return told;
    }

    /// <summary>The anonymous history comes first: the identified profile's event numbers move after it, then the tallies add up.</summary>
    private static void MergeHistory(UserState into, UserState from)
    {
        var shift = from.EventSequence;
        foreach (var tally in into.Events.Values)
        {
            tally.LastSequence += shift;
            tally.Recent = tally.Recent.Select(o => o with { Sequence = o.Sequence + shift }).ToList();
        }
        foreach (var (_, progress) in JourneyEntries.All(into))
            foreach (var position in progress.Positions) position.ArrivedSequence += shift;
        into.EventSequence += shift;

        foreach (var (signature, theirs) in from.Events)
        {
            if (!into.Events.TryGetValue(signature, out var ours))
            {
                into.Events[signature] = theirs;
                continue;
            }
            var kept = Math.Max(ours.Recent.Count, theirs.Recent.Count);
            ours.Count += theirs.Count;
            ours.LastAt = ours.LastAt >= theirs.LastAt ? ours.LastAt : theirs.LastAt;
            ours.Recent = theirs.Recent.Concat(ours.Recent).TakeLast(kept).ToList();
        }
    }

    /// <summary>
    /// A moved position waits for events from the merge on: the anonymous history was evaluated where it happened, and
    /// the identified user's past events, numbered after it, are not new to the position.
    /// </summary>
    private static void SinceNow(UserState into, JourneyProgress progress)
    {
        foreach (var position in progress.Positions) position.ArrivedSequence = into.EventSequence;
    }

    /// <summary>
    /// A moved progress's memberships enter the index (<paramref name="into"/>'s index changes) and the lists (added to
    /// <paramref name="told"/>) under the identified user's key.
    /// </summary>
    private static void Arrive(
        UserState into, JourneyProgress progress, PublishedCatalog catalog, string spaceId, string intoKey, string journeyId, string anonymousId,
        List<TransitionDelivery> told)
    {
        foreach (var (stepId, membership) in progress.Steps)
        {
            if (!membership.IsMember) continue;
            var entered = Announcements.EntryOf(into, spaceId, intoKey, journeyId, stepId, membership) with
            {
                AnonymousId = anonymousId, Entry = progress.Entry,
                StepKind = JourneyGraph.StepOf(catalog, journeyId, stepId)?.Kind ?? StepKind.SendToDestinations,
            };
            into.IndexChanges.Add(entered);
            told.AddRange(ListsOf(catalog, journeyId, stepId).Select(list => new TransitionDelivery(entered, list)));
        }
    }

    /// <summary>
    /// A progress the identified profile already has the journey of: its memberships end. The event destinations that
    /// heard of them hear of their exit (with the anonymous profile's key, so the ids match their entries), now with both ids.
    /// </summary>
    private static IEnumerable<TransitionDelivery> Dropped(
        UserState from, JourneyProgress progress, PublishedCatalog catalog, string spaceId, string fromKey, string journeyId, string? userId,
        string anonymousId, DateTimeOffset now)
    {
        foreach (var (stepId, membership) in progress.Steps)
        {
            if (!membership.IsMember || JourneyGraph.StepOf(catalog, journeyId, stepId) is not { Kind: StepKind.SendToDestinations } step) continue;
            var exit = Announcements.EntryOf(from, spaceId, fromKey, journeyId, stepId, membership) with
            {
                Direction = TransitionDirection.Exited, OccurredAt = now, UserId = userId, AnonymousId = anonymousId, Entry = progress.Entry,
            };
            foreach (var connection in Announcements.Addressed(exit, membership, step.Connections))
                if (connection.DestinationKind == DestinationKind.Event) yield return new TransitionDelivery(exit, connection);
        }
    }

    private static IEnumerable<ConnectionInfo> ListsOf(PublishedCatalog catalog, string journeyId, string stepId) =>
        JourneyGraph.StepOf(catalog, journeyId, stepId)?.Connections.Where(c => c.DestinationKind == DestinationKind.List) ?? [];

    /// <summary>
    /// Unlike live entry (where a first version admits anyone), a merge never leaves the user in two versions of a journey.
    /// </summary>
    private static bool EnteredAnotherVersion(UserState user, PublishedCatalog catalog, string journeyId) =>
        catalog.Journeys.FirstOrDefault(j => j.Id == journeyId) is { } journey
        && catalog.Journeys.Any(other => other.Id != journeyId && other.LineageId == journey.LineageId && JourneyEntries.Entered(user, other.Id));
}
