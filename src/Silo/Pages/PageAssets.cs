namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/assets/progress.js</c>: the pages' one script (it keeps progress bars current), served by the silo
/// itself from an embedded resource, so the pages load nothing from another site and need no inline script.
/// </summary>
public static class PageAssets
{
    private static readonly Lazy<string> ProgressScript = new(() =>
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream("journeys.progress.js")
            ?? throw new InvalidOperationException("The embedded resource journeys.progress.js is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/assets/progress.js", () => Results.Text(ProgressScript.Value, "text/javascript; charset=utf-8"));
        return endpoints;
    }
}
