using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>The Segment connector: one Journeys.Orleans space feeding another through the HTTP tracking API.</summary>
public sealed class SegmentConnectorTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    [Fact]
    public async Task A_space_feeds_another_through_v1_batch_with_its_write_key()
    {
        // Space B collects: whoever is reported as "Audience Entered" enters B's journey and its recorder hears it.
        var spaceB = TestSpace.New();
        var writeKeyB = await fixture.Journeys.CreateWriteKeyAsync(spaceB);
        var journeyB = await fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "Synced audience", EntryCondition = Condition.Performed("Audience Entered") }, spaceB);
        var stepB = await fixture.Journeys.AddStepAsync(journeyB.Id, new StepDefinition { Name = "Everyone synced", Kind = StepKind.SendToDestinations });
        var recorderB = await fixture.Journeys.CreateDestinationAsync(
            new DestinationDefinition { Name = "B Recorder", Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, spaceB);
        await fixture.Journeys.ConnectAsync(stepB.Id, recorderB.Id, new ConnectionSettings { SendIdentify = false });
        await fixture.Journeys.PublishAsync(journeyB.Id);

        // Space A sends to B as it would to Segment.
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);
        var segment = await fixture.Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = "Another collector", Kind = DestinationKind.Event, Connector = ConnectorKind.Segment,
            SegmentHost = fixture.Silo.Url, SegmentWriteKey = writeKeyB.Key,
        }, scenario.SpaceId);
        await fixture.Journeys.ConnectAsync(scenario.OpenedEmail.Id, segment.Id);
        await scenario.PublishAsync();

        await scenario.EnterOpenedEmailAsync("fed_user");
        var recorded = await Eventually.Until(() => fixture.Journeys.GetRecordedAsync(recorderB.Id), r => r.Count >= 1, TimeSpan.FromSeconds(20));
        // The track call and then the identify call (one per user per round, in order).
        var stats = await Eventually.Until(() => fixture.Journeys.GetDeliveryStatsAsync(segment.Id), s => s.Delivered == 2, TimeSpan.FromSeconds(20));
        var userInB = await fixture.Journeys.GetUserAsync("fed_user", spaceId: spaceB);

        var payload = System.Text.Json.JsonDocument.Parse(Assert.Single(recorded).Json).RootElement;
        Assert.Equal("fed_user", payload.GetProperty("userId").GetString());
        Assert.Equal(stepB.Key, payload.GetProperty("context").GetProperty("personas").GetProperty("computation_key").GetString());
        Assert.Equal("true", userInB.Traits[scenario.OpenedEmail.Key]);
        Assert.Equal(2, stats.Delivered);
        Assert.Null(segment.WebhookUrl);
        Assert.DoesNotContain(writeKeyB.Key, System.Text.Json.JsonSerializer.Serialize(segment));
    }
}
