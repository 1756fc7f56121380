namespace Journeys.Orleans.Model;

/// <summary>The thing asked for does not exist.</summary>
[GenerateSerializer, Alias("journeys.JourneysNotFoundException")]
public sealed class JourneysNotFoundException : Exception
{
    /// <summary>Creates the error for a <paramref name="kind"/> (journey, step, destination) with <paramref name="id"/>.</summary>
    public JourneysNotFoundException(string kind, string id)
        : base($"{kind} {id} does not exist")
    {
        Kind = kind;
        Id = id;
    }

    [Id(0)] public string Kind { get; private set; }
    [Id(1)] public string Id { get; private set; }
}
