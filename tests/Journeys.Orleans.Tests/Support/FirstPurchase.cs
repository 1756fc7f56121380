using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// The seed's journey in a fresh space: "First Purchase" (entry: Order Completed) → wait for "Email Opened" →
/// send step "Opened Email" → wait for another "Order Completed" → send step "Repeat Buyers".
/// </summary>
public sealed class FirstPurchase
{
    public const string OrderCompleted = "Order Completed";
    public const string EmailOpened = "Email Opened";

    private FirstPurchase(IJourneysClient journeys, string spaceId) => (Journeys, SpaceId) = (journeys, spaceId);

    public IJourneysClient Journeys { get; }
    public string SpaceId { get; }
    public JourneyInfo Journey { get; private set; } = null!;
    public StepInfo OpenedEmail { get; private set; } = null!;
    public StepInfo RepeatBuyers { get; private set; } = null!;

    /// <summary>Creates the journey (a draft); connect destinations, then <see cref="PublishAsync"/>.</summary>
    public static async Task<FirstPurchase> CreateAsync(IJourneysClient journeys, ExitBehaviour exitBehaviour = ExitBehaviour.OnStepLeave)
    {
        var scenario = new FirstPurchase(journeys, TestSpace.New());
        scenario.Journey = await journeys.CreateJourneyAsync(
            new JourneyDefinition { Name = "First Purchase", EntryCondition = Condition.Performed(OrderCompleted) }, scenario.SpaceId);
        await journeys.AddStepAsync(scenario.Journey.Id, new StepDefinition
            { Name = "Wait for an email open", Kind = StepKind.Condition, Condition = Condition.Performed(EmailOpened) });
        scenario.OpenedEmail = await journeys.AddStepAsync(scenario.Journey.Id, new StepDefinition
            { Name = "Opened Email", Kind = StepKind.SendToDestinations, ExitBehaviour = exitBehaviour });
        await journeys.AddStepAsync(scenario.Journey.Id, new StepDefinition
            { Name = "Wait for a second order", Kind = StepKind.Condition, Condition = Condition.Performed(OrderCompleted) });
        scenario.RepeatBuyers = await journeys.AddStepAsync(scenario.Journey.Id, new StepDefinition
            { Name = "Repeat Buyers", Kind = StepKind.SendToDestinations });
        return scenario;
    }

    public Task<DestinationInfo> AddRecorderAsync(string name = "Recorder") =>
        Journeys.CreateDestinationAsync(new DestinationDefinition { Name = name, Kind = DestinationKind.Event, Connector = ConnectorKind.Recording }, SpaceId);

    public Task<DestinationInfo> AddListAsync(string name = "List") =>
        Journeys.CreateDestinationAsync(new DestinationDefinition { Name = name, Kind = DestinationKind.List }, SpaceId);

    public Task<DestinationInfo> AddWebhookAsync(string url, IReadOnlyDictionary<string, string>? headers = null, string name = "Webhook") =>
        Journeys.CreateDestinationAsync(new DestinationDefinition
        {
            Name = name, Kind = DestinationKind.Event, Connector = ConnectorKind.Webhook, WebhookUrl = url,
            Headers = headers ?? new Dictionary<string, string>(),
        }, SpaceId);

    public Task PublishAsync() => Journeys.PublishAsync(Journey.Id);

    /// <summary>A webhook at <paramref name="url"/> told of "Opened Email" by track calls only, then the journey published.</summary>
    public async Task<DestinationInfo> PublishWithTrackOnlyWebhookAsync(string url)
    {
        var webhook = await AddWebhookAsync(url);
        await Journeys.ConnectAsync(OpenedEmail.Id, webhook.Id, new ConnectionSettings { SendIdentify = false });
        await PublishAsync();
        return webhook;
    }

    public Task TrackAsync(string userId, string eventName, string? messageId = null) =>
        Journeys.TrackAsync(new TrackEvent { SpaceId = SpaceId, UserId = userId, Event = eventName, MessageId = messageId });

    /// <summary>Order, open: the user enters "Opened Email".</summary>
    public async Task EnterOpenedEmailAsync(string userId)
    {
        await TrackAsync(userId, OrderCompleted);
        await TrackAsync(userId, EmailOpened);
    }

    /// <summary>A second order: the user leaves "Opened Email" for "Repeat Buyers".</summary>
    public Task MoveOnAsync(string userId) => TrackAsync(userId, OrderCompleted);

    /// <summary>The recorded payloads once <paramref name="count"/> have arrived (or the wait ran out).</summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> RecordedAsync(string destinationId, int count)
    {
        var recorded = await Eventually.Until(() => Journeys.GetRecordedAsync(destinationId), r => r.Count >= count);
        return recorded.Select(r => System.Text.Json.JsonDocument.Parse(r.Json).RootElement).ToList();
    }

    /// <summary>The message id a destination gets for a user's first entry into, or exit from, "Opened Email".</summary>
    public string ExpectedMessageId(string userId, TransitionDirection direction, string destinationId, Domain.CallType callType = Domain.CallType.Track) =>
        Domain.MessageIds.For(new Transition
        {
            SpaceId = SpaceId, JourneyId = Journey.Id, StepId = OpenedEmail.Id, UserKey = $"u:{userId}", Epoch = 1, Direction = direction,
        }, destinationId, callType);

    /// <summary>Every member of a list destination's step, through paging.</summary>
    public async Task<List<ListMember>> AllMembersAsync(string destinationId, string stepId, int pageSize = 100)
    {
        var members = new List<ListMember>();
        string? token = null;
        do
        {
            var page = await Journeys.GetMembersAsync(destinationId, stepId, token, pageSize);
            members.AddRange(page.Members);
            token = page.NextPageToken;
        } while (token is not null);
        return members;
    }
}
