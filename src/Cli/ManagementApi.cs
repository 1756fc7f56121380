using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Journeys.Orleans.Cli;

/// <summary>The management API, as the tool calls it: JSON in and out, problems turned into one line.</summary>
internal sealed class ManagementApi(string url, string? token) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url.TrimEnd('/') + "/") };

    public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null) request.Content = JsonContent.Create(body);
        if (!string.IsNullOrEmpty(token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            var detail = text;
            try
            {
                var problem = JsonNode.Parse(text);
                detail = problem?["detail"]?.GetValue<string>() ?? problem?["title"]?.GetValue<string>() ?? text;
            }
            catch (JsonException)
            {
            }
            throw new ApiException($"{(int)response.StatusCode} {method} {path}: {detail}");
        }
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    public void Dispose() => _http.Dispose();
}

internal sealed class ApiException(string message) : Exception(message);
