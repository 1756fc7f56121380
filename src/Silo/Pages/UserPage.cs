using System.Text;
using Journeys.Orleans.Client;
using Journeys.Orleans.Model;

namespace Journeys.Orleans.Silo.Pages;

/// <summary>
/// <c>GET /journeys/users?spaceId=…&amp;userKey=u:&lt;userId&gt;|a:&lt;anonymousId&gt;</c>: a user's timeline — traits, the
/// journeys they are in, their current send-step memberships and their recent transitions, newest first.
/// </summary>
public static class UserPage
{
    public static IEndpointRouteBuilder MapUserPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/users", async (string? spaceId, string? userKey, IJourneysClient journeys) =>
        {
            spaceId ??= SpaceIds.Default;
            var form = LookupForm(spaceId, userKey);
            InputRules.CheckSpaceId(spaceId);
            if (string.IsNullOrEmpty(userKey))
                return Layout.Html(Layout.Document("Users", "<h1>Look up a user</h1>" + form, spaceId: spaceId));
            var (userId, anonymousId) = userKey.StartsWith("u:", StringComparison.Ordinal) ? (userKey[2..], null)
                : userKey.StartsWith("a:", StringComparison.Ordinal) ? ((string?)null, userKey[2..])
                : throw new JourneysValidationException("userKey", "must be u:<userId> or a:<anonymousId>");
            var user = await journeys.GetUserAsync(userId, anonymousId, spaceId);
            var names = await JourneyNamesAsync(journeys, user);
            return Layout.Html(Layout.Document($"{userKey} · user", form + Render(user, names), spaceId: spaceId));
        });
        return endpoints;
    }

    private static string LookupForm(string spaceId, string? userKey) =>
        "<form method=\"get\" action=\"/journeys/users\">"
        + $"<label>Space <input name=\"spaceId\" value=\"{Layout.E(spaceId)}\"></label> "
        + $"<label>User <input name=\"userKey\" placeholder=\"u:userId or a:anonymousId\" value=\"{Layout.E(userKey)}\"></label>"
        + "<button>Look up</button></form>";

    /// <summary>The journeys the user's timeline mentions, by id; a journey that cannot be read is left out.</summary>
    private static async Task<Dictionary<string, JourneyInfo>> JourneyNamesAsync(IJourneysClient journeys, UserView user)
    {
        var ids = user.Journeys.Select(j => j.JourneyId)
            .Concat(user.Memberships.Select(m => m.JourneyId))
            .Concat(user.RecentTransitions.Select(t => t.JourneyId))
            .Distinct();
        var found = new Dictionary<string, JourneyInfo>();
        foreach (var id in ids)
        {
            try
            {
                found[id] = await journeys.GetJourneyAsync(id);
            }
            catch (Exception ex) when (ex is JourneysNotFoundException or JourneysValidationException)
            {
            }
        }
        return found;
    }

    /// <summary>The timeline of <paramref name="user"/>; <paramref name="journeys"/> names the journeys and steps it mentions.</summary>
    public static string Render(UserView user, IReadOnlyDictionary<string, JourneyInfo> journeys)
    {
        var E = Layout.E;
        string Journey(string id) => journeys.TryGetValue(id, out var j)
            ? $"<a href=\"/journeys/journey?journeyId={Layout.Q(id)}\">{E(j.Name)}</a>"
            : E(id);
        string Step(string journeyId, string? stepId) => stepId is null ? "<span class=\"muted\">(none)</span>"
            : journeys.TryGetValue(journeyId, out var j) && j.Steps.FirstOrDefault(s => s.Id == stepId) is { } step
                ? $"{E(step.Name)} <small>{E(stepId)}</small>"
                : E(stepId);

        var html = new StringBuilder()
            .Append($"<h1>{E(user.UserKey)}</h1><p>user id: {E(user.UserId ?? "—")} · anonymous id: {E(user.AnonymousId ?? "—")} · space {E(user.SpaceId)}</p>");

        html.Append("<h2>Traits</h2>");
        if (user.Traits.Count == 0) html.Append("<p class=\"muted\">No traits.</p>");
        else
        {
            html.Append("<table class=\"traits\"><tr><th>Trait</th><th>Value</th></tr>");
            foreach (var (name, value) in user.Traits.OrderBy(t => t.Key, StringComparer.Ordinal))
                html.Append($"<tr><td>{E(name)}</td><td>{E(value)}</td></tr>");
            html.Append("</table>");
        }

        html.Append("<h2>Journeys</h2>");
        if (user.Journeys.Count == 0) html.Append("<p class=\"muted\">In no journey.</p>");
        else
        {
            html.Append("<table class=\"positions\"><tr><th>Journey</th><th>Step</th><th>Entered at</th><th>At step since</th><th>Exited</th><th class=\"num\">Entries</th></tr>");
            foreach (var p in user.Journeys)
                html.Append($"<tr data-journey=\"{E(p.JourneyId)}\"><td>{Journey(p.JourneyId)}</td><td>{Step(p.JourneyId, p.StepId)}</td>")
                    .Append($"<td>{Layout.Time(p.EnteredJourneyAt)}</td><td>{Layout.Time(p.AtStepSince)}</td>")
                    .Append($"<td>{(p.Exited ? "yes" : "no")}</td><td class=\"num\">{p.Entries}</td></tr>");
            html.Append("</table>");
        }

        html.Append("<h2>Send steps now</h2>");
        if (user.Memberships.Count == 0) html.Append("<p class=\"muted\">A member of no send step.</p>");
        else
        {
            html.Append("<table class=\"memberships\"><tr><th>Step</th><th>Key</th><th>Journey</th><th class=\"num\">Epoch</th><th>Since</th></tr>");
            foreach (var m in user.Memberships)
                html.Append($"<tr data-step=\"{E(m.StepId)}\"><td>{Step(m.JourneyId, m.StepId)}</td><td class=\"key\">{E(m.StepKey)}</td>")
                    .Append($"<td>{Journey(m.JourneyId)}</td><td class=\"num\">{m.Epoch}</td><td>{Layout.Time(m.Since)}</td></tr>");
            html.Append("</table>");
        }

        html.Append("<h2>Recent transitions</h2>");
        if (user.RecentTransitions.Count == 0) html.Append("<p class=\"muted\">No transitions yet.</p>");
        else
        {
            html.Append("<table class=\"transitions\"><tr><th>Time</th><th>Direction</th><th>Step key</th><th>Journey</th><th class=\"num\">Epoch</th></tr>");
            foreach (var t in user.RecentTransitions.OrderByDescending(t => t.Sequence))
                html.Append($"<tr data-sequence=\"{t.Sequence}\"><td>{Layout.Time(t.OccurredAt)}</td>")
                    .Append($"<td class=\"{(t.Direction == TransitionDirection.Entered ? "entered" : "exited")}\">{t.Direction}</td>")
                    .Append($"<td class=\"key\">{E(t.StepKey)}</td><td>{Journey(t.JourneyId)}</td><td class=\"num\">{t.Epoch}</td></tr>");
            html.Append("</table>");
        }
        return html.ToString();
    }
}
