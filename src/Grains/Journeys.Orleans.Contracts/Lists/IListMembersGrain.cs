using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// One partition of a list destination: the users of its partition currently in each connected step.
/// Keyed by <c>{destinationId}/p{partition}</c>.
/// </summary>
[Alias("journeys.IListMembersGrain")]
public interface IListMembersGrain : IMemberPartitionGrain
{
    /// <summary>
    /// Adds members on enter, removes them on exit, with the user's <paramref name="identifiers"/> for this list (an
    /// enter of the epoch a member already has only updates them); replays are harmless.
    /// </summary>
    [Alias("Apply")]
    Task ApplyAsync(IReadOnlyList<TransitionDelivery> deliveries, IReadOnlyDictionary<string, string>? identifiers = null);

    /// <summary>The changes of several users at once, each applied as <see cref="ApplyAsync"/> would, in order.</summary>
    [Alias("ApplyMany")]
    Task ApplyManyAsync(IReadOnlyList<MemberChanges> changes);

    /// <summary>How many transitions this partition applied.</summary>
    [Alias("GetStats")]
    Task<DeliveryStats> GetStatsAsync();
}

/// <summary>One user's member changes for one list partition, with the identifiers the list keeps for that user.</summary>
[GenerateSerializer, Immutable, Alias("journeys.MemberChanges")]
public sealed record MemberChanges(
    [property: Id(0)] IReadOnlyList<Transition> Transitions,
    [property: Id(1)] IReadOnlyDictionary<string, string>? Identifiers = null)
{
    /// <summary>The changes <paramref name="deliveries"/> make, with the user's identifiers for the list.</summary>
    public static MemberChanges Of(IReadOnlyList<TransitionDelivery> deliveries, IReadOnlyDictionary<string, string>? identifiers) =>
        new(deliveries.Select(d => d.Transition).ToList(), identifiers);
}
