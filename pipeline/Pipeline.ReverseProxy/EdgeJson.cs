using System.Text.Json;
using Pipeline.IO;

namespace Pipeline.ReverseProxy;

/// <summary>Reads and writes the description file (<see cref="EdgeLayout.DescriptionFile"/>) atomically.</summary>
internal static class EdgeJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteAsync(string path, EdgeDescription description, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(description, Options), cancellationToken);

    public static async Task<EdgeDescription?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<EdgeDescription>(await File.ReadAllTextAsync(path, cancellationToken), Options);
        }
        catch (JsonException e)
        {
            throw new EdgeConfigException($"{path} is not an edge description ({e.Message}); delete it and deploy again to write a new one.", null);
        }
    }
}
