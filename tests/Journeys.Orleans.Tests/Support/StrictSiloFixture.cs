using System.Net.Http.Headers;
using Journeys.Orleans.Client;

namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// The real silo process with production's outgoing-address rules (only a documentation network is allowed, so loopback
/// and private addresses are refused) and a sign-in session of a few seconds, with a .NET client connected to it.
/// </summary>
public sealed class StrictSiloFixture : IAsyncLifetime
{
    public const string AdminToken = "strict-admin-token-41b7";

    /// <summary>How long a sign-in lasts on this silo.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromSeconds(3);

    private SiloProcess.ClientConnection? _client;

    public SiloProcess Silo { get; private set; } = null!;

    public IJourneysClient Journeys { get; private set; } = null!;

    /// <summary>Sends exactly the cookies a test gives and follows no redirect.</summary>
    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    public Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, Silo.Url + path);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body, options: IngestionFixture.ApiJson);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return Http.SendAsync(request);
    }

    public async ValueTask InitializeAsync()
    {
        Silo = SiloProcess.Start(null, new Dictionary<string, string>
        {
            ["Management__AdminToken"] = AdminToken,
            ["Management__SessionLifetime"] = SessionLifetime.ToString(),
            // TEST-NET-1: allows nothing the tests use, so the production refusals apply.
            ["Journeys__AllowedNetworks__0"] = "192.0.2.0/24",
            ["Journeys__RetryMaxDuration"] = "00:00:02",
            ["Journeys__RetryFirstDelay"] = "00:00:00.200",
            ["Journeys__RetryLongestDelay"] = "00:00:00.500",
        });
        if (!await Silo.WaitUntilServingAsync(TimeSpan.FromSeconds(90)))
            throw new InvalidOperationException("The silo did not start:\n" + Silo.Output);

        _client = await Silo.ConnectClientAsync();
        Journeys = _client.Journeys;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        Http.Dispose();
        await Silo.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StrictSiloCollection : ICollectionFixture<StrictSiloFixture>
{
    public const string Name = "strict-silo";
}
