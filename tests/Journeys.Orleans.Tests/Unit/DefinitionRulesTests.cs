using Journeys.Orleans.Domain;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

public sealed class DefinitionRulesTests
{
    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("mailto:someone@example.com")]
    public void A_webhook_url_must_be_absolute_http_or_https(string url)
    {
        var error = Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(new DestinationDefinition
            { Name = "Hook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = url }));

        Assert.Equal("webhookUrl", error.Field);
        Assert.Contains("http", error.Reason);
    }

    [Fact]
    public void Header_values_on_several_lines_are_refused()
    {
        var error = Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(new DestinationDefinition
        {
            Name = "Hook", Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = "https://example.com",
            Headers = new Dictionary<string, string> { ["X-Token"] = "a\r\nInjected: yes" },
        }));

        Assert.Equal("headers[X-Token]", error.Field);
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("   ", "name")]
    public void A_step_needs_a_name(string name, string field)
    {
        var error = Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(new StepDefinition { Name = name, Kind = StepKind.SendToDestinations }));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Name_lengths_follow_Segment_limits()
    {
        Assert.Equal("name", Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(
            new JourneyDefinition { Name = new string('j', 74), EntryCondition = Condition.Performed("A") })).Field);
        Assert.Equal("name", Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(
            new StepDefinition { Name = new string('s', 171), Kind = StepKind.SendToDestinations })).Field);
        DefinitionRules.Check(new JourneyDefinition { Name = new string('j', 73), EntryCondition = Condition.Performed("A") });
        DefinitionRules.Check(new StepDefinition { Name = new string('s', 170), Kind = StepKind.SendToDestinations });
    }

    [Fact]
    public void A_condition_step_needs_a_complete_condition()
    {
        Assert.Equal("condition", Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(
            new StepDefinition { Name = "Wait", Kind = StepKind.Condition })).Field);
        Assert.Equal("condition.eventName", Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(
            new StepDefinition { Name = "Wait", Kind = StepKind.Condition, Condition = new Condition { Kind = ConditionKind.PerformedEvent } })).Field);
        Assert.Equal("condition.traitValue", Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(
            new StepDefinition { Name = "Wait", Kind = StepKind.Condition, Condition = new Condition { Kind = ConditionKind.TraitEquals, TraitName = "plan" } })).Field);
    }

    [Fact]
    public void A_connection_sends_something()
    {
        var error = Assert.Throws<JourneysValidationException>(() => DefinitionRules.Check(new ConnectionSettings { SendTrack = false, SendIdentify = false }));
        Assert.Equal("settings", error.Field);
    }

    [Fact]
    public void An_event_needs_a_user_id_or_an_anonymous_id()
    {
        var error = Assert.Throws<JourneysValidationException>(() => InputRules.Check(new TrackEvent { Event = "A" }));
        Assert.Equal("userId", error.Field);
        Assert.Contains("anonymousId", error.Reason);
    }
}
