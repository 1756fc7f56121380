using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>Draft → published ⇄ paused → archived: the moves allowed, and the field a refused one names.</summary>
public sealed class JourneyLifecycleTests
{
    [Theory]
    [InlineData(JourneyStatus.Published, JourneyStatus.Paused, JourneyStatus.Published)]
    [InlineData(JourneyStatus.Paused, JourneyStatus.Paused, JourneyStatus.Published)]
    public void A_live_journey_pauses_and_resumes(JourneyStatus from, JourneyStatus paused, JourneyStatus resumed)
    {
        Assert.Equal(paused, JourneyLifecycle.Pause("jny_1", from));
        Assert.Equal(resumed, JourneyLifecycle.Resume("jny_1", from));
        Assert.True(JourneyLifecycle.IsLive(from));
        JourneyLifecycle.CheckNewVersion("jny_1", from);
    }

    [Theory]
    [InlineData(JourneyStatus.Draft)]
    [InlineData(JourneyStatus.Archived)]
    public void A_draft_or_archived_journey_neither_pauses_resumes_nor_gets_a_version(JourneyStatus status)
    {
        Assert.Equal("journeyId", Assert.Throws<JourneysValidationException>(() => JourneyLifecycle.Pause("jny_1", status)).Field);
        Assert.Equal("journeyId", Assert.Throws<JourneysValidationException>(() => JourneyLifecycle.Resume("jny_1", status)).Field);
        Assert.Equal("journeyId", Assert.Throws<JourneysValidationException>(() => JourneyLifecycle.CheckNewVersion("jny_1", status)).Field);
        Assert.False(JourneyLifecycle.IsLive(status));
    }

    [Fact]
    public void Publishing_needs_a_step_and_a_journey_that_is_not_archived()
    {
        JourneyLifecycle.CheckPublish("jny_1", JourneyStatus.Draft, 1);
        JourneyLifecycle.CheckPublish("jny_1", JourneyStatus.Paused, 1);

        Assert.Equal("steps", Assert.Throws<JourneysValidationException>(() => JourneyLifecycle.CheckPublish("jny_1", JourneyStatus.Draft, 0)).Field);
        Assert.Contains("archived", Assert.Throws<JourneysValidationException>(() => JourneyLifecycle.CheckPublish("jny_1", JourneyStatus.Archived, 3)).Reason);
    }
}
