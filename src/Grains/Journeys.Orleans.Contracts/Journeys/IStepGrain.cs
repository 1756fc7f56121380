using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>One step of a journey: its key, name and connected destinations. Keyed by step id (<c>stp_...</c>).</summary>
[Alias("journeys.IStepGrain")]
public interface IStepGrain : IGrainWithStringKey
{
    /// <summary>
    /// Called by the journey when the step is created: generates and reserves the step key, or keeps
    /// <paramref name="keptKey"/> — the key of the same, unchanged step in an earlier version of the journey.
    /// <paramref name="connections"/> are copied as they are (a new version keeps its steps' connections).
    /// </summary>
    [Alias("Create")]
    Task<StepInfo> CreateAsync(
        string spaceId, string journeyId, string journeyName, StepDefinition definition, string? keptKey = null,
        IReadOnlyList<ConnectionInfo>? connections = null, string? listStepId = null);

    /// <summary>Called by the journey when a draft's document is replaced: the step's connections become these.</summary>
    [Alias("ReplaceConnections")]
    Task<StepInfo> ReplaceConnectionsAsync(IReadOnlyList<ConnectionInfo> connections);

    /// <summary>The step; throws when it does not exist.</summary>
    [Alias("Get")]
    Task<StepInfo> GetAsync();

    /// <summary>Renames the step. The key does not change.</summary>
    [Alias("Rename")]
    Task<StepInfo> RenameAsync(string name);

    /// <summary>Connects a destination of the step's space to this send step (or updates the connection's settings).</summary>
    /// <exception cref="JourneysValidationException">Not a send step, or an unknown destination; nothing changed.</exception>
    [Alias("Connect")]
    Task<StepInfo> ConnectAsync(string destinationId, ConnectionSettings settings);

    /// <summary>How far telling a destination connected later of the step's members has come.</summary>
    /// <exception cref="JourneysValidationException">The destination is not connected to this step.</exception>
    [Alias("GetConnectBackfill")]
    Task<ConnectBackfillStatus> GetConnectBackfillAsync(string destinationId);
}
