using System.Net;
using System.Net.Http.Headers;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>One sign-in (ASP.NET Core authentication) for the API, the pages and the Orleans dashboard of the real silo process.</summary>
public sealed class AdminSignInTests(IngestionFixture fixture) : IClassFixture<IngestionFixture>
{
    /// <summary>Sends exactly the cookies a test gives and follows no redirect.</summary>
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    private static readonly string[] DashboardPaths = ["/dashboard/", "/dashboard/Trace", "/dashboard/Reminders", "/dashboard/ClusterStats", "/dashboard/GrainTypes"];

    [Fact]
    public async Task The_orleans_dashboard_answers_401_without_sign_in()
    {
        foreach (var path in DashboardPaths)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path, token: "not-the-token")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path, cookie: "journeys_admin=" + IngestionFixture.AdminToken)).StatusCode);
        }
        var signIn = await GetAsync("/dashboard/Reminders");
        Assert.Contains("Sign in", await signIn.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_dashboard_serves_with_the_token_or_the_pages_session()
    {
        var cookie = await SignInAsync(IngestionFixture.AdminToken, "/dashboard/");

        Assert.Equal(HttpStatusCode.Redirect, cookie.Response.StatusCode);
        Assert.Equal("/dashboard/", cookie.Response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/dashboard/Reminders", token: IngestionFixture.AdminToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/dashboard/Reminders", cookie: cookie.Value)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/dashboard/", cookie: cookie.Value)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/journeys/", cookie: cookie.Value)).StatusCode);
    }

    [Fact]
    public async Task Only_exactly_the_token_signs_in()
    {
        string[] near = [IngestionFixture.AdminToken + " ", " " + IngestionFixture.AdminToken, IngestionFixture.AdminToken[..^1], IngestionFixture.AdminToken + "x"];
        foreach (var token in near)
        {
            var login = await SignInAsync(token, "/journeys/");
            Assert.Equal(HttpStatusCode.Unauthorized, login.Response.StatusCode);
            Assert.Null(login.Value);
        }
        foreach (var header in new[] { "Bearer  " + IngestionFixture.AdminToken, "Bearer " + IngestionFixture.AdminToken + "x", "Basic " + IngestionFixture.AdminToken, IngestionFixture.AdminToken })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.Silo.Url}/api/spaces/{TestSpace.New()}/journeys");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task Pages_the_sign_in_form_and_the_dashboard_send_security_headers()
    {
        var page = await GetAsync("/journeys/?spaceId=spa_default", token: IngestionFixture.AdminToken);
        var form = await GetAsync("/journeys/pipelines");
        var dashboard = await GetAsync("/dashboard/", token: IngestionFixture.AdminToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, form.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        foreach (var response in new[] { page, form, dashboard })
        {
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", policy);
            Assert.DoesNotContain("http", policy);
            Assert.DoesNotContain("*", policy);
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        }
        Assert.Contains("default-src 'none'", string.Join(";", page.Headers.GetValues("Content-Security-Policy")));
    }

    private async Task<(HttpResponseMessage Response, string? Value)> SignInAsync(string token, string returnUrl)
    {
        var response = await Http.GetAsync($"{fixture.Silo.Url}/journeys/login?token={Uri.EscapeDataString(token)}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single().Split(';')[0] : null;
        return (response, cookie);
    }

    private Task<HttpResponseMessage> GetAsync(string path, string? token = null, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, fixture.Silo.Url + path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return Http.SendAsync(request);
    }
}
