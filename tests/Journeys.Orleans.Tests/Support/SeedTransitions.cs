using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Support;

/// <summary>The seed's user u_123 entering and leaving "Opened Email" of "First Purchase", for tests of pure logic.</summary>
public static class SeedTransitions
{
    public const string Key = "j_o_first_purchase__opened_email_dje83h";

    public static readonly Transition Entered = new()
    {
        SpaceId = "spa_default",
        JourneyId = "jny_1",
        StepId = "stp_1",
        StepKey = Key,
        UserKey = "u:u_123",
        UserId = "u_123",
        Direction = TransitionDirection.Entered,
        Epoch = 1,
        Sequence = 1,
        OccurredAt = new DateTimeOffset(2026, 11, 29, 10, 15, 0, TimeSpan.Zero),
    };

    public static readonly Transition Exited = Entered with { Direction = TransitionDirection.Exited, Sequence = 2 };
}
