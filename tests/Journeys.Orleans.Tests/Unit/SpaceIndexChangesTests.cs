using Journeys.Orleans.Model;
using Journeys.Orleans.SpaceIndex;

namespace Journeys.Orleans.Tests.Unit;

/// <summary>The space's index learns only the net change of a call, per step.</summary>
public sealed class SpaceIndexChangesTests
{
    private static Transition Move(string stepId, TransitionDirection direction, int epoch) => new()
    {
        SpaceId = "spa_a", JourneyId = "jny_a", StepId = stepId, StepKey = "k", UserKey = "u:a",
        Direction = direction, Epoch = epoch, OccurredAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_step_passed_through_in_one_call_is_not_written_but_the_steps_left_and_reached_are()
    {
        var changes = SpaceIndexChanges.Of(
            [Move("wait", TransitionDirection.Exited, 1), Move("split", TransitionDirection.Entered, 1),
             Move("split", TransitionDirection.Exited, 1), Move("send", TransitionDirection.Entered, 1)]).ToList();

        Assert.Equal([("wait", TransitionDirection.Exited), ("send", TransitionDirection.Entered)], changes.Select(c => (c.StepId, c.Direction)));
    }

    [Fact]
    public void A_step_left_and_entered_again_is_removed_at_its_old_epoch_and_added_at_its_new_one()
    {
        var changes = SpaceIndexChanges.Of([Move("send", TransitionDirection.Exited, 1), Move("send", TransitionDirection.Entered, 2)]).ToList();

        Assert.Equal([(TransitionDirection.Exited, 1), (TransitionDirection.Entered, 2)], changes.Select(c => (c.Direction, c.Epoch)));
    }
}
