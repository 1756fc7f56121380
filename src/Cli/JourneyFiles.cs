using System.Text.Json.Nodes;

/// <summary>Journey definition files: the document form goes to the API as it is; the short form is turned into one.</summary>
internal static class JourneyFiles
{
    public static JsonObject ToDocument(JsonObject file)
    {
        if (file["journey"] is not null) return file;
        var journey = new JsonObject();
        foreach (var (name, value) in file)
        {
            if (name is not ("steps" or "spaceId")) journey[name] = value?.DeepClone();
        }
        var steps = new JsonArray();
        foreach (var step in file["steps"]?.AsArray() ?? [])
        {
            var definition = step!.DeepClone().AsObject();
            var connections = definition["connections"]?.DeepClone() ?? new JsonArray();
            definition.Remove("connections");
            steps.Add(new JsonObject { ["step"] = definition, ["connections"] = connections });
        }
        return new JsonObject { ["journey"] = journey, ["steps"] = steps };
    }
}
