using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Journeys.Orleans.Bench;

/// <summary>The silo's management API, with the admin token.</summary>
internal sealed class ManagementApi(HttpClient http, string url, string adminToken)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<JsonElement> PostAsync(string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url + path);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> GetAsync(string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url + pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        return await http.SendAsync(request);
    }

    public async Task<string> PostForIdAsync(string path, object body) => (await PostAsync(path, body)).GetProperty("id").GetString()!;
}
