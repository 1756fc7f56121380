using Journeys.Orleans.Catalog;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>A journey's snapshot never undoes a step's own push that overtook it.</summary>
public sealed class JourneySnapshotsTests
{
    private static StepInfo Step(string name, params string[] destinations) => new()
    {
        Id = "stp_1", Key = "j_o_j__s_abc123", Name = name, Ref = "send", Kind = StepKind.SendToDestinations,
        Connections = destinations.Select(d => new ConnectionInfo { DestinationId = d }).ToList(),
    };

    private static JourneyInfo Journey(StepInfo step) => new() { Id = "jny_1", SpaceId = "spa_a", Status = JourneyStatus.Published, Steps = [step] };

    [Fact]
    public async Task Steps_read_again_unchanged_mean_one_push()
    {
        var pushes = new List<IReadOnlyList<JourneyInfo>>();
        var other = Journey(Step("Old")) with { Id = "jny_0" };

        var pushed = await JourneySnapshots.PushAsync(Journey(Step("Send", "dst_1")), [other],
            p => { pushes.Add(p); return Task.CompletedTask; }, () => Task.FromResult<IReadOnlyList<StepInfo>>([Step("Send", "dst_1")]));

        Assert.Equal(["jny_1", "jny_0"], Assert.Single(pushes).Select(j => j.Id));
        Assert.Equal("Send", pushed.Steps.Single().Name);
    }

    [Fact]
    public async Task A_step_changed_after_the_journey_read_it_is_pushed_again_so_the_last_push_holds_it()
    {
        var pushes = new List<IReadOnlyList<JourneyInfo>>();
        var reads = new Queue<StepInfo>([Step("Send", "dst_1", "dst_2"), Step("Send", "dst_1", "dst_2")]);

        var pushed = await JourneySnapshots.PushAsync(Journey(Step("Send", "dst_1")), [],
            p => { pushes.Add(p); return Task.CompletedTask; }, () => Task.FromResult<IReadOnlyList<StepInfo>>([reads.Dequeue()]));

        Assert.Equal(2, pushes.Count);
        Assert.Equal(["dst_1", "dst_2"], pushes[^1].Single().Steps.Single().Connections.Select(c => c.DestinationId));
        Assert.Equal(pushed, pushes[^1].Single());
    }

    [Fact]
    public async Task Steps_that_keep_changing_stop_the_pushes_after_a_few_rounds()
    {
        var pushes = 0;
        var round = 0;

        await JourneySnapshots.PushAsync(Journey(Step("Send")), [],
            _ => { pushes++; return Task.CompletedTask; }, () => Task.FromResult<IReadOnlyList<StepInfo>>([Step($"Send {++round}")]));

        Assert.Equal(JourneySnapshots.MaxRounds, pushes);
    }
}
