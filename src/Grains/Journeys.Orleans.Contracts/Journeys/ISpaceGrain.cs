using Journeys.Orleans.Model;

namespace Journeys.Orleans.Interfaces;

/// <summary>
/// A space (tenant): owns its journeys and destinations and publishes the catalog of live journeys.
/// Keyed by the space id (<c>spa_...</c>). Not on the per-event path: users read the catalog from replicas.
/// </summary>
[Alias("journeys.ISpaceGrain")]
public interface ISpaceGrain : IGrainWithStringKey
{
    /// <summary>Creates a destination in this space.</summary>
    /// <exception cref="JourneysValidationException">The definition is invalid; nothing was created.</exception>
    [Alias("CreateDestination")]
    Task<DestinationInfo> CreateDestinationAsync(DestinationDefinition definition);

    /// <summary>The space's destinations, without secrets.</summary>
    [Alias("ListDestinations")]
    Task<IReadOnlyList<DestinationInfo>> ListDestinationsAsync();

    /// <summary>Creates a draft journey in this space.</summary>
    /// <exception cref="JourneysValidationException">The definition is invalid; nothing was created.</exception>
    [Alias("CreateJourney")]
    Task<JourneyInfo> CreateJourneyAsync(JourneyDefinition definition);

    /// <summary>
    /// Creates a draft journey from a document (config as code): everything is checked first — the definition, every
    /// step, the references between steps, cycles, the destinations — and nothing is created when anything is wrong.
    /// </summary>
    /// <exception cref="JourneysValidationException">The first problem, naming the field; nothing was created.</exception>
    [Alias("ImportJourney")]
    Task<JourneyInfo> ImportJourneyAsync(JourneyDocument document);

    /// <summary>Checks a document as <see cref="ImportJourneyAsync"/> would, without creating anything.</summary>
    [Alias("ValidateJourney")]
    Task ValidateJourneyAsync(JourneyDocument document);

    /// <summary>Adds a journey created elsewhere in this space (a new version) to the space's list.</summary>
    [Alias("AddJourney")]
    Task AddJourneyAsync(string journeyId);

    /// <summary>The space's journeys with their steps.</summary>
    [Alias("ListJourneys")]
    Task<IReadOnlyList<JourneyInfo>> ListJourneysAsync();

    /// <summary>The current catalog of published journeys.</summary>
    [Alias("GetCatalog")]
    Task<PublishedCatalog> GetCatalogAsync();

    /// <summary>
    /// Keeps <paramref name="observer"/> (a silo's copy of the catalog) told of every new catalog, and returns the
    /// current one. Subscriptions live as long as this activation: observers subscribe again now and then.
    /// </summary>
    [Alias("SubscribeCatalog")]
    Task<PublishedCatalog> SubscribeCatalogAsync(ICatalogObserver observer);

    /// <summary>
    /// Called by journeys when they are published, paused, resumed, archived or superseded: keeps these snapshots
    /// (steps and connections included; a draft's is dropped) and pushes the new catalog to every silo's copy before
    /// returning, so that events sent after the caller's change see it. Configuration flows one way: the space never
    /// calls a journey or a step back, so none of their methods needs to interleave.
    /// </summary>
    [Alias("PublishJourneys")]
    Task<PublishedCatalog> PublishJourneysAsync(IReadOnlyList<JourneyInfo> journeys);

    /// <summary>
    /// Called by a step when it is renamed or connected: replaces it in its journey's snapshot, if that journey is in
    /// the catalog, and pushes the catalog as <see cref="PublishJourneysAsync"/> does.
    /// </summary>
    [Alias("UpdateStep")]
    Task<PublishedCatalog> UpdateStepAsync(StepInfo step);

    /// <summary>Issues a new write key for the space's HTTP tracking API.</summary>
    [Alias("CreateWriteKey")]
    Task<WriteKeyInfo> CreateWriteKeyAsync();

    /// <summary>Revokes one of the space's write keys.</summary>
    /// <exception cref="JourneysValidationException">The key is not one of this space's; nothing changed.</exception>
    [Alias("RevokeWriteKey")]
    Task RevokeWriteKeyAsync(string writeKey);

    /// <summary>The space's write keys that are not revoked.</summary>
    [Alias("ListWriteKeys")]
    Task<IReadOnlyList<WriteKeyInfo>> ListWriteKeysAsync();

    /// <summary>True when this destination id belongs to the space.</summary>
    [Alias("HasDestination")]
    Task<bool> HasDestinationAsync(string destinationId);
}
