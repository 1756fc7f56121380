using Journeys.Orleans.Model;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class StepKeyTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_new_step_gets_a_key_of_the_seed_shape_that_renaming_does_not_change()
    {
        var scenario = await FirstPurchase.CreateAsync(fixture.Journeys);

        var renamed = await fixture.Journeys.RenameStepAsync(scenario.OpenedEmail.Id, "Opened the welcome email");
        await scenario.PublishAsync();
        var published = await fixture.Journeys.GetStepAsync(scenario.OpenedEmail.Id);

        Assert.Matches("^j_o_first_purchase__opened_email_[a-z0-9]{6}$", scenario.OpenedEmail.Key);
        Assert.Equal("Opened the welcome email", renamed.Name);
        Assert.Equal(scenario.OpenedEmail.Key, renamed.Key);
        Assert.Equal(scenario.OpenedEmail.Key, published.Key);
    }

    [Fact]
    public async Task Steps_with_the_same_names_never_share_a_key()
    {
        var journeys = Enumerable.Range(0, 3).Select(_ => fixture.Journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "First Purchase", EntryCondition = Condition.Performed("A") }, TestSpace.New()));
        var keys = new List<string>();
        foreach (var journey in await Task.WhenAll(journeys))
        {
            for (var i = 0; i < 100; i++)
                keys.Add((await fixture.Journeys.AddStepAsync(journey.Id, new StepDefinition { Name = "Opened Email", Kind = StepKind.SendToDestinations })).Key);
        }

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }
}
