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
        Journeys = user.Journeys.Select(j => new JourneyPositionView(
            j.Key, j.Value.Positions.FirstOrDefault()?.StepId, j.Value.EnteredAt,
            j.Value.Positions.FirstOrDefault()?.ArrivedAt ?? j.Value.ExitedAt ?? j.Value.EnteredAt, j.Value.Exited, j.Value.Entries)
        {
            StepIds = j.Value.Positions.Select(p => p.StepId).ToList(),
        }).ToList(),
        Memberships = user.Journeys
            .SelectMany(j => j.Value.Steps
                .Where(s => s.Value.IsMember && IsSendStep(catalog, j.Key, s.Key))
                .Select(s => new StepMembershipView(j.Key, s.Key, s.Value.StepKey, s.Value.Epoch, s.Value.Since)))
            .ToList(),
        RecentTransitions = user.RecentTransitions.ToList(),
    };

    private static bool IsSendStep(PublishedCatalog? catalog, string journeyId, string stepId) =>
        catalog?.Journeys.FirstOrDefault(j => j.Id == journeyId) is { } journey
        && JourneyGraph.Of(journey).Step(stepId)?.Kind == StepKind.SendToDestinations;
}
