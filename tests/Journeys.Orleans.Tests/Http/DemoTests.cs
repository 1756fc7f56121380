using System.Net;
using System.Text.RegularExpressions;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>The README's first command: the demo runs the seed's journey and shows it working, pages included.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_delivers_the_seed_payloads_and_prints_a_sign_in_link_to_the_journey_graph()
    {
        await using var silo = SiloProcess.Start(connectionString: null, "--demo");
        var link = await Eventually.Until(
            () => Task.FromResult(Regex.Match(silo.Output, @"(http://\S+/journeys/login\?token=\S+)").Groups[1].Value),
            url => url.Length > 0, TimeSpan.FromSeconds(90));
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() });

        var page = await http.GetAsync(link);
        var html = Html.Parse(await page.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Demo Webhook received 3 HTTP POSTs", silo.Output);
        Assert.Equal("First Purchase", html.Single("h1").TextContent);
        Assert.Equal(4, html.QuerySelectorAll(".graph .step[data-step]").Length);
        Assert.Contains("1 in step", html.Texts(".step span.members > a"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient().GetAsync(page.RequestMessage!.RequestUri)).StatusCode);
    }
}
