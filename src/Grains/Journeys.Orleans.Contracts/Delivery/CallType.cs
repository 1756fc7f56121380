namespace Journeys.Orleans.Domain;

/// <summary>What kind of Segment call a payload is.</summary>
public enum CallType
{
    Track = 0,
    Identify = 1,
}
