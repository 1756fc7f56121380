using System.Text;

namespace Journeys.Orleans.Model;

/// <summary>
/// Destination URLs as they may be shown: the password of their user-info and every query and fragment value masked,
/// as in <c>http://alice:***@host/hook?token=***</c>. A URL can carry credentials (a receiver's basic auth, a token in
/// the query) and is shown in answers, pages and logs; the stored URL, which the connectors use, keeps them.
/// </summary>
public static class SecretUrls
{
    public const string Mask = "***";

    /// <summary>The URL with its secrets masked; null stays null, and what is not an absolute URL is masked whole.</summary>
    public static string? Masked(string? url)
    {
        if (url is null) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.Host)) return Mask;

        var shown = new StringBuilder(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
        {
            // A user name alone can be the secret (https://TOKEN@host), so only a name with a password keeps its name.
            var colon = uri.UserInfo.IndexOf(':');
            shown.Append(colon > 0 ? uri.UserInfo[..colon] + ":" + Mask : Mask).Append('@');
        }
        shown.Append(uri.Authority).Append(uri.AbsolutePath);
        if (uri.Query.Length > 1) shown.Append('?').Append(MaskValues(uri.Query[1..]));
        if (uri.Fragment.Length > 1) shown.Append('#').Append(Mask);
        return shown.ToString();
    }

    private static string MaskValues(string query) =>
        string.Join('&', query.Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=');
            return equals < 0 ? (pair.Length == 0 ? pair : Mask) : pair[..(equals + 1)] + Mask;
        }));
}
