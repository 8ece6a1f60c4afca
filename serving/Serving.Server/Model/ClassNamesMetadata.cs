using System.Text.Json;
using Serving.Server.Hosting;

namespace Serving.Server.Model;

/// <summary>Reads the class_names metadata_props entry (a JSON array of strings) the pipeline's exporters write.</summary>
internal static class ClassNamesMetadata
{
    public const string Key = "class_names";

    /// <returns>The class labels, or empty when the model has no class_names entry.</returns>
    /// <exception cref="ServerStartupException">The entry is there but is not a JSON array of distinct strings.</exception>
    public static IReadOnlyList<string> Read(IReadOnlyDictionary<string, string> metadata, string modelPath)
    {
        if (!metadata.TryGetValue(Key, out var text)) return [];
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("it is not a JSON array");
            var names = document.RootElement.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException("an element is not a string"))
                .ToArray();
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new FormatException("a class name appears twice");
            return names;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new ServerStartupException(
                $"Model '{modelPath}' has metadata '{Key}' that cannot be used ({e.Message}); it must be a JSON array of distinct class labels. Re-export the model.", e);
        }
    }
}
