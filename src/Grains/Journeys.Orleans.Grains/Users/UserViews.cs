using Journeys.Orleans.Engine;
using Journeys.Orleans.Model;
using Journeys.Orleans.State;

namespace Journeys.Orleans.Users;

/// <summary>What a user grain shows of its state: profile, journey positions, send-step memberships, timeline. Pure.</summary>
public static class UserViews
{
    public static UserView Of(string spaceId, string userKey, UserState user, PublishedCatalog? catalog) => new()
    {
        SpaceId = spaceId,
        UserKey = userKey,
        UserId = user.UserId,
        AnonymousId = user.AnonymousId,
        Traits = new Dictionary<string, string?>(user.Traits),
        // An event-triggered journey shows one line per entry, with the value it was entered for.
        Journeys = JourneyEntries.All(user).Select(j => new JourneyPositionView(
            j.JourneyId, j.Progress.Positions.FirstOrDefault()?.StepId, j.Progress.EnteredAt,
            j.Progress.Positions.FirstOrDefault()?.ArrivedAt ?? j.Progress.ExitedAt ?? j.Progress.EnteredAt, j.Progress.Exited, j.Progress.Entries)
        {
            StepIds = j.Progress.Positions.Select(p => p.StepId).ToList(),
            EntryValue = j.Progress.EntryValue,
            Context = j.Progress.Context is null ? null : new Dictionary<string, string?>(j.Progress.Context),
        }).ToList(),
        Memberships = JourneyEntries.All(user)
            .SelectMany(j => j.Progress.Steps
                .Where(s => s.Value.IsMember && IsSendStep(catalog, j.JourneyId, s.Key))
                .Select(s => new StepMembershipView(j.JourneyId, s.Key, s.Value.StepKey, s.Value.Epoch, s.Value.Since)))
            .ToList(),
        RecentTransitions = user.RecentTransitions.ToList(),
        MergedAnonymousIds = user.MergedAnonymousIds.ToList(),
        RefusedMerges = user.RefusedMerges.ToList(),
    };

    private static bool IsSendStep(PublishedCatalog? catalog, string journeyId, string stepId) =>
        JourneyGraph.StepOf(catalog, journeyId, stepId)?.Kind == StepKind.SendToDestinations;
}
