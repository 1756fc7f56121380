namespace Journeys.Orleans.Silo.Security;

/// <summary>
/// Headers that keep the pages and the Orleans dashboard from being framed, sniffed, cached or made to load anything
/// from another site. The journeys pages run one script, from this site (it polls this site's API for progress bars),
/// and no inline script; the dashboard runs its own, from this site only. Inline styles stay allowed: the pages
/// position their graph with style attributes.
/// </summary>
public static class SecurityHeaders
{
    public const string PagesPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    public const string DashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var policy = path.StartsWithSegments("/journeys") ? PagesPolicy
                : path.StartsWithSegments("/dashboard") ? DashboardPolicy
                : null;
            if (policy is not null)
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers.CacheControl = "no-store";
                headers["Referrer-Policy"] = "no-referrer";
            }
            return next(context);
        });
}
