using System.Net;
using Journeys.Orleans.Tests.Support;

namespace Journeys.Orleans.Tests.Http;

/// <summary>The sign-in session of the real silo process expires (a fixed lifetime, here a few seconds).</summary>
[Collection(StrictSiloCollection.Name)]
public sealed class SessionTests(StrictSiloFixture fixture)
{
    [Fact]
    public async Task A_session_ends_after_its_lifetime_however_much_it_is_used()
    {
        var login = await fixture.Http.GetAsync($"{fixture.Silo.Url}/journeys/login?token={StrictSiloFixture.AdminToken}&returnUrl=%2Fjourneys%2F");
        var setCookie = login.Headers.GetValues("Set-Cookie").Single();
        var cookie = setCookie.Split(';')[0];
        var signedInAt = DateTime.UtcNow;

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(cookie)).StatusCode);
        var ended = await Eventually.Until(() => GetAsync(cookie), r => r.StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.True(DateTime.UtcNow - signedInAt >= StrictSiloFixture.SessionLifetime - TimeSpan.FromSeconds(1), "ended too early");
    }

    private Task<HttpResponseMessage> GetAsync(string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, fixture.Silo.Url + "/journeys/pipelines");
        request.Headers.Add("Cookie", cookie);
        return fixture.Http.SendAsync(request);
    }
}
