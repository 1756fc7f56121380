using System.Net.Http.Headers;
using System.Text;
using Journeys.Orleans.Client;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// The real silo process on the embedded default, serving Segment's HTTP tracking API, with a .NET client connected
/// to it through the client library (<see cref="JourneysClientHostingExtensions.AddJourneysClient"/>).
/// </summary>
public sealed class IngestionFixture : IAsyncLifetime
{
    private SiloProcess.ClientConnection? _client;

    public SiloProcess Silo { get; private set; } = null!;

    public IJourneysClient Journeys { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public IGrainFactory Grains { get; private set; } = null!;

    /// <summary>The management API's admin token the silo was started with.</summary>
    public const string AdminToken = "test-admin-token-0d9c";

    /// <summary>Calls the management API; <paramref name="token"/> null sends no token.</summary>
    public Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, object? body = null, string? token = AdminToken)
    {
        var request = new HttpRequestMessage(method, Silo.Url + path);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body, options: ApiJson);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return Http.SendAsync(request);
    }

    public static System.Text.Json.JsonSerializerOptions ApiJson { get; } = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async ValueTask InitializeAsync()
    {
        Silo = SiloProcess.Start(null, new Dictionary<string, string>
        {
            ["Ingestion__WriteKeyCacheDuration"] = "00:00:00",
            ["Management__AdminToken"] = AdminToken,
            // The pages' charts read the stored history: flushed every second rather than every 10 s, so tests wait less.
            ["Journeys__HistoryFlushInterval"] = "00:00:01",
        });
        if (!await Silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)))
            throw new InvalidOperationException("The silo did not start:\n" + Silo.Output);

        _client = await Silo.ConnectClientAsync();
        Journeys = _client.Journeys;
        Grains = _client.Grains;
    }

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/> with <paramref name="writeKey"/> as the basic auth user.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string json, string? writeKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Silo.Url + path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (writeKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        Http.Dispose();
        await Silo.DisposeAsync();
    }
}
