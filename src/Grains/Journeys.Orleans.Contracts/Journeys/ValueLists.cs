namespace Journeys.Orleans.Model;

/// <summary>
/// Element-by-element equality for the lists inside definition records: a record's generated equality compares a
/// list by reference, so two equal definitions read or built apart would differ. A missing list equals an empty one.
/// </summary>
internal static class ValueLists
{
    public static bool Same<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) =>
        ReferenceEquals(a, b) || (a ?? []).SequenceEqual(b ?? []);
}
