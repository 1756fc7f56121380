using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Engine;

/// <summary>
/// Where a user's progress in a journey is kept: one <see cref="JourneyProgress"/> per journey in
/// <see cref="UserState.Journeys"/>, or, for an event-triggered journey (<see cref="JourneyInfo.EntryIdentifier"/>),
/// one per entry in <see cref="UserState.Entries"/>. Pure.
/// </summary>
public static class JourneyEntries
{
    /// <summary>The key of entry <paramref name="entry"/> of <paramref name="journeyId"/> in <see cref="UserState.Entries"/>.</summary>
    public static string Key(string journeyId, int entry) => $"{journeyId}/{entry}";

    /// <summary>The user's entries of one event-triggered journey, oldest first.</summary>
    public static IEnumerable<JourneyProgress> Of(UserState user, string journeyId) =>
        user.Entries.Values.Where(e => e.JourneyId == journeyId).OrderBy(e => e.Entry);

    /// <summary>The user's progresses in <paramref name="journey"/>: its one progress, or, event-triggered, its entries.</summary>
    public static IEnumerable<JourneyProgress> Of(UserState user, JourneyInfo journey) =>
        journey.EntryIdentifier is not null ? Of(user, journey.Id)
        : user.Journeys.TryGetValue(journey.Id, out var progress) ? [progress]
        : [];

    /// <summary>Every progress of the user: per journey, then per entry, each with its journey's id.</summary>
    public static IEnumerable<(string JourneyId, JourneyProgress Progress)> All(UserState user) =>
        user.Journeys.Select(j => (j.Key, j.Value)).Concat(user.Entries.Values.OrderBy(e => e.Entry).Select(e => (e.JourneyId ?? "", e)));

    /// <summary>The progress <paramref name="transition"/> was made in (it is still there during the call that made it).</summary>
    public static JourneyProgress ProgressOf(UserState user, Transition transition) =>
        transition.Entry > 0 ? user.Entries[Key(transition.JourneyId, transition.Entry)] : user.Journeys[transition.JourneyId];

    /// <summary>True when one of the user's progresses in <paramref name="journeyId"/>, inside it, is a member of the step.</summary>
    public static bool InStep(UserState user, string journeyId, string stepId) =>
        (user.Journeys.TryGetValue(journeyId, out var progress) && IsMember(progress, stepId))
        || user.Entries.Values.Any(e => e.JourneyId == journeyId && IsMember(e, stepId));

    /// <summary>True when the user has, or had, a progress in <paramref name="journeyId"/> (a version they entered).</summary>
    public static bool Entered(UserState user, string journeyId) =>
        user.Journeys.ContainsKey(journeyId) || user.Entries.Values.Any(e => e.JourneyId == journeyId);

    private static bool IsMember(JourneyProgress progress, string stepId) =>
        !progress.Exited && progress.Steps.TryGetValue(stepId, out var membership) && membership.IsMember;
}
