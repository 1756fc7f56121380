using Journeys.Orleans.Model;

namespace Journeys.Orleans.State;

/// <summary>A list destination partition's state: per step id, its members by user key.</summary>
[GenerateSerializer, Alias("journeys.state.ListMembers")]
public sealed class ListMembersState
{
    [Id(0)] public Dictionary<string, Dictionary<string, ListMemberEntry>> Steps { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public long Applied { get; set; }
}

/// <summary>One member of a list.</summary>
[GenerateSerializer, Alias("journeys.state.ListMemberEntry")]
public sealed class ListMemberEntry
{
    [Id(0)] public string? UserId { get; set; }
    [Id(1)] public string? AnonymousId { get; set; }
    [Id(2)] public DateTimeOffset Since { get; set; }
    [Id(3)] public int Epoch { get; set; }
    [Id(4)] public IReadOnlyDictionary<string, string>? Identifiers { get; set; }
}

/// <summary>A list sync's state: the remote list's id, and whether a full resend is due.</summary>
[GenerateSerializer, Alias("journeys.state.ListSync")]
public sealed class ListSyncState
{
    [Id(0)] public bool Started { get; set; }
    [Id(1)] public string? ExternalListId { get; set; }
    [Id(2)] public bool MirrorWanted { get; set; }
    [Id(3)] public long SyncedThrough { get; set; }
}
