using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Journeys.Orleans.Tests.Support;

/// <summary>Reads a page as a browser would (AngleSharp's HTML5 parser), so tests select elements rather than match text.</summary>
public static class Html
{
    private static readonly HtmlParser Parser = new();

    public static IDocument Parse(string html) => Parser.ParseDocument(html);

    /// <summary>The text of each element <paramref name="selector"/> finds, trimmed, in document order.</summary>
    public static IReadOnlyList<string> Texts(this IParentNode node, string selector) =>
        node.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToList();

    /// <summary>The one element <paramref name="selector"/> finds; fails the test when there is none or several.</summary>
    public static IElement Single(this IParentNode node, string selector) => Assert.Single(node.QuerySelectorAll(selector));
}
