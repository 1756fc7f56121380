using Journeys.Orleans.Model;

namespace Journeys.Orleans.Domain;

/// <summary>
/// A journey's lifecycle, draft → published ⇄ paused → archived: which moves are allowed from where, and the error
/// (naming the field) that a refused move gets, before anything changes.
/// </summary>
public static class JourneyLifecycle
{
    /// <summary>Published or paused: users may be inside, so archiving must move them out.</summary>
    public static bool IsLive(JourneyStatus status) => status is JourneyStatus.Published or JourneyStatus.Paused;

    /// <summary>A draft is published; a published or paused journey may be published again (its catalog refreshed).</summary>
    public static void CheckPublish(string journeyId, JourneyStatus status, int stepCount)
    {
        if (status == JourneyStatus.Archived)
            throw new JourneysValidationException("journeyId", $"{journeyId} is archived; make a new version or a clone to publish it again");
        if (stepCount == 0)
            throw new JourneysValidationException("steps", "a journey needs at least one step before it can be published");
    }

    /// <summary>The status after pausing; only a published (or already paused) journey pauses.</summary>
    public static JourneyStatus Pause(string journeyId, JourneyStatus status) => status is JourneyStatus.Draft or JourneyStatus.Archived
        ? throw new JourneysValidationException("journeyId", $"only a published journey can be paused; {journeyId} is {status}")
        : JourneyStatus.Paused;

    /// <summary>The status after resuming; only a paused (or already published) journey resumes.</summary>
    public static JourneyStatus Resume(string journeyId, JourneyStatus status) => status is JourneyStatus.Draft or JourneyStatus.Archived
        ? throw new JourneysValidationException("journeyId", $"only a paused journey can be resumed; {journeyId} is {status}")
        : JourneyStatus.Published;

    /// <summary>A new version is made from a live journey only.</summary>
    public static void CheckNewVersion(string journeyId, JourneyStatus status)
    {
        if (!IsLive(status))
            throw new JourneysValidationException("journeyId", $"a new version is made from a published journey; {journeyId} is {status}");
    }
}
