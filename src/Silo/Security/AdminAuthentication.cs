using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Journeys.Orleans.Silo.Management;
using Journeys.Orleans.Silo.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Journeys.Orleans.Silo.Security;

/// <summary>
/// One sign-in for the management API, the journeys pages and the Orleans dashboard, built from ASP.NET Core
/// authentication and authorization: the admin token (<c>Management:AdminToken</c>) as <c>Authorization: Bearer …</c>,
/// or the session cookie that <c>GET /journeys/login?token=…&amp;returnUrl=…</c> sets. The session expires
/// (<c>Management:SessionLifetime</c>, 8 hours by default) and holds an HMAC of the token, not the token, so a new token
/// signs everyone out. Without either: 401; while no token is configured: 503.
/// </summary>
public static class AdminAuthentication
{
    /// <summary>The authorization policy of every admin surface.</summary>
    public const string Policy = "admin";

    /// <summary>Picks the bearer scheme when the request carries an Authorization header, the session cookie otherwise.</summary>
    public const string Scheme = "admin";

    public const string BearerScheme = "admin-token";

    public const string CookieScheme = "admin-session";

    public const string CookieName = "journeys_admin";

    public const string LoginPath = "/journeys/login";

    // The session remembers which token opened it (as an HMAC), so that changing the token ends every session.
    private const string TokenStampClaim = "journeys:token-stamp";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddPolicyScheme(Scheme, "Admin token or session", o =>
            {
                o.ForwardDefaultSelector = context => context.Request.Headers.Authorization.Count > 0 ? BearerScheme : CookieScheme;
                // One place answers refusals: problem details for the API, the sign-in form for pages.
                o.ForwardChallenge = BearerScheme;
                o.ForwardForbid = BearerScheme;
            })
            .AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(BearerScheme, displayName: null, _ => { })
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // The pages, their links to the dashboard and the dashboard's own calls all carry it.
                o.Cookie.Path = "/";
                // A fixed lifetime: a stolen cookie stops working, however busy its thief keeps it.
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<ManagementOptions>>((o, management) => o.ExpireTimeSpan = management.Value.SessionLifetime);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Maps the sign-in: checks the token, opens the session, sends the browser on to a local page.</summary>
    public static IEndpointRouteBuilder MapAdminSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, async (string? token, string? returnUrl, HttpContext context) =>
        {
            var adminToken = AdminToken(context);
            if (adminToken is null) return Off(context.Request.Path);
            var target = IsSignInTarget(returnUrl) ? returnUrl! : "/journeys/";
            if (!IsAdminToken(token, adminToken))
                return SignInPage(target, token is null ? "Sign in with the admin token." : "That is not the admin token.");
            await context.SignInAsync(CookieScheme, Principal(adminToken, CookieScheme));
            return Results.Redirect(target);
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>True when <paramref name="presented"/> is exactly the admin token; compares in constant time.</summary>
    public static bool IsAdminToken(string? presented, string adminToken) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(adminToken));

    /// <summary>Only this site's pages and dashboard: never another site, nor another part of this one.</summary>
    public static bool IsSignInTarget(string? url) =>
        url is not null && !url.Contains('\\')
        && (url.StartsWith("/journeys/", StringComparison.Ordinal) || url.StartsWith("/dashboard/", StringComparison.Ordinal));

    internal static ClaimsPrincipal Principal(string adminToken, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(TokenStampClaim, TokenStamp(adminToken))], scheme));

    internal static string? AdminToken(HttpContext context)
    {
        var token = context.RequestServices.GetRequiredService<IOptionsMonitor<ManagementOptions>>().CurrentValue.AdminToken;
        return string.IsNullOrEmpty(token) ? null : token;
    }

    /// <summary>What a request that is not signed in gets: 503 while off, the sign-in form on pages, problem details on the API.</summary>
    internal static IResult Refusal(HttpContext context)
    {
        if (AdminToken(context) is null) return Off(context.Request.Path);
        var path = context.Request.Path;
        if (path.StartsWithSegments("/journeys") || path.StartsWithSegments("/dashboard"))
            return SignInPage(path + context.Request.QueryString, "Sign in with the admin token.");
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(title: "Unauthorized", detail: "Send the admin token as Authorization: Bearer <token>.",
            statusCode: StatusCodes.Status401Unauthorized);
    }

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var token = AdminToken(context.HttpContext);
        var stamp = context.Principal?.FindFirst(TokenStampClaim)?.Value;
        if (token is not null && stamp is not null && IsAdminToken(stamp, TokenStamp(token))) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieScheme);
    }

    private static string TokenStamp(string adminToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(adminToken), "journeys admin session"u8));

    private static IResult Off(PathString path) => path.StartsWithSegments("/api")
        ? Results.Problem(title: "The management API is off", detail: "Set Management:AdminToken to turn it on.", statusCode: StatusCodes.Status503ServiceUnavailable)
        : Results.Problem(title: "The pages are off", detail: "Set Management:AdminToken to turn them on.", statusCode: StatusCodes.Status503ServiceUnavailable);

    private static IResult SignInPage(string returnUrl, string message)
    {
        var target = IsSignInTarget(returnUrl) ? returnUrl : "/journeys/";
        return PageText.Page<SignInForm>(new { Message = message, ReturnUrl = target }, StatusCodes.Status401Unauthorized);
    }
}

/// <summary>The bearer scheme: <c>Authorization: Bearer &lt;admin token&gt;</c>, compared in constant time.</summary>
internal sealed class AdminTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var adminToken = AdminAuthentication.AdminToken(Context);
        var header = Request.Headers.Authorization.ToString();
        if (adminToken is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        // Exactly the token: no trimming, so "token " or " token" is another token.
        return Task.FromResult(AdminAuthentication.IsAdminToken(header[Prefix.Length..], adminToken)
            ? AuthenticateResult.Success(new AuthenticationTicket(AdminAuthentication.Principal(adminToken, Scheme.Name), Scheme.Name))
            : AuthenticateResult.Fail("Not the admin token."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AdminAuthentication.Refusal(Context).ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AdminAuthentication.Refusal(Context).ExecuteAsync(Context);
}
