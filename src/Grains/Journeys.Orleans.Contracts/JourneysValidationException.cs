namespace Journeys.Orleans.Model;

/// <summary>
/// Bad input: names the field and the reason. Thrown before anything is changed.
/// </summary>
[GenerateSerializer, Alias("journeys.JourneysValidationException")]
public sealed class JourneysValidationException : Exception
{
    /// <summary>Creates the error for <paramref name="field"/>.</summary>
    public JourneysValidationException(string field, string reason)
        : base($"{field}: {reason}")
    {
        Field = field;
        Reason = reason;
    }

    /// <summary>The offending field, for example <c>steps[0].name</c>.</summary>
    [Id(0)] public string Field { get; private set; }

    /// <summary>Why the value was refused.</summary>
    [Id(1)] public string Reason { get; private set; }
}
