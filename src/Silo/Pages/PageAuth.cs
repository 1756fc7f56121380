using System.Security.Cryptography;
using System.Text;
using Journeys.Orleans.Silo.Management;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// The admin token (<c>Management:AdminToken</c>) guards every page under <c>/journeys</c>: a request carries it as
/// <c>Authorization: Bearer &lt;token&gt;</c>, or carries the cookie that <c>GET /journeys/login?token=…&amp;returnUrl=…</c>
/// sets (HttpOnly, SameSite=Strict, Path=/journeys). The cookie holds an HMAC of the token, not the token, so a new
/// token signs everyone out. Without either: 401; while no token is configured: 503, as the management API answers.
/// </summary>
public static class PageAuth
{
    public const string LoginPath = "/journeys/login";
    public const string CookieName = "journeys_admin";

    /// <summary>True when <paramref name="presented"/> is the admin token; compares in constant time.</summary>
    public static bool IsAdminToken(string? presented, string adminToken) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(adminToken));

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    /// <summary>Guards the pages (every path under /journeys but the login) and maps the login.</summary>
    public static WebApplication UseAdminPages(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (!path.StartsWithSegments("/journeys") || path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }
            var adminToken = AdminToken(context);
            var refusal = adminToken is null ? Off()
                : IsAdminToken(BearerToken(context.Request), adminToken) || HasSessionCookie(context.Request, adminToken) ? null
                : SignInRequired(context.Request.Path + context.Request.QueryString, "Sign in with the admin token.");
            if (refusal is null) await next(context);
            else await refusal.ExecuteAsync(context);
        });

        app.MapGet(LoginPath, (string? token, string? returnUrl, HttpContext context) =>
        {
            var adminToken = AdminToken(context);
            if (adminToken is null) return Off();
            var target = IsPageUrl(returnUrl) ? returnUrl! : "/journeys/";
            if (!IsAdminToken(token, adminToken))
                return SignInRequired(target, token is null ? "Sign in with the admin token." : "That is not the admin token.");
            context.Response.Cookies.Append(CookieName, SessionValue(adminToken), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/journeys",
                Secure = context.Request.IsHttps,
            });
            return Results.Redirect(target);
        });
        return app;
    }

    /// <summary>Only the pages' own local paths: never another site, nor another part of this one.</summary>
    public static bool IsPageUrl(string? url) =>
        url is not null && url.StartsWith("/journeys/", StringComparison.Ordinal) && !url.Contains('\\');

    private static string? AdminToken(HttpContext context)
    {
        var token = context.RequestServices.GetRequiredService<IOptions<ManagementOptions>>().Value.AdminToken;
        return string.IsNullOrEmpty(token) ? null : token;
    }

    private static bool HasSessionCookie(HttpRequest request, string adminToken) =>
        request.Cookies.TryGetValue(CookieName, out var value) && IsAdminToken(value, SessionValue(adminToken));

    private static string SessionValue(string adminToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(adminToken), "journeys pages session"u8));

    private static IResult Off() =>
        Results.Problem(title: "The pages are off", detail: "Set Management:AdminToken to turn them on.", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static IResult SignInRequired(string returnUrl, string message)
    {
        var target = IsPageUrl(returnUrl) ? returnUrl : "/journeys/";
        var html = Layout.Document("Sign in",
            $"<h1>Sign in</h1><p>{Layout.E(message)} Send it as <code>Authorization: Bearer &lt;token&gt;</code>, or here:</p>"
            + $"<form method=\"get\" action=\"{LoginPath}\"><input type=\"password\" name=\"token\" placeholder=\"admin token\" autofocus>"
            + $"<input type=\"hidden\" name=\"returnUrl\" value=\"{Layout.E(target)}\"><button>Sign in</button></form>",
            nav: false);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
    }
}
