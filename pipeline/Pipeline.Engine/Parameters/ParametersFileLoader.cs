using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>Reads <c>.nuke/parameters.json</c> and the profile files; returns layers lowest precedence first.</summary>
internal static class ParametersFileLoader
{
    public static IReadOnlyList<ParametersFileLayer> Load(AbsolutePath rootDirectory, IReadOnlyList<string> profiles)
    {
        var errors = new List<string>();
        var layers = new List<ParametersFileLayer>();
        var nukeDirectory = rootDirectory / ".nuke";
        var baseFile = nukeDirectory / "parameters.json";
        if (baseFile.FileExists())
        {
            AddLayer(baseFile, profile: null);
        }

        foreach (var profile in profiles)
        {
            var file = nukeDirectory / $"parameters.{profile}.json";
            if (file.FileExists())
            {
                AddLayer(file, profile);
                continue;
            }

            var available = nukeDirectory.DirectoryExists()
                ? Directory.EnumerateFiles(nukeDirectory, "parameters.*.json")
                    .Select(path => Path.GetFileName(path)["parameters.".Length..^".json".Length])
                    .Order(StringComparer.Ordinal)
                    .ToArray()
                : [];
            errors.Add($"Profile '{profile}' not found: .nuke/parameters.{profile}.json does not exist. " +
                       (available.Length > 0 ? $"Available profiles: {string.Join(", ", available)}." : "Create that file to define the profile."));
        }

        return errors.Count > 0 ? throw new BuildConfigurationException(errors) : layers;

        void AddLayer(AbsolutePath file, string? profile)
        {
            var relative = file.RelativeTo(rootDirectory);
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"{relative} must contain a JSON object mapping parameter names to values.");
                    return;
                }

                var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    values[property.Name] = property.Value.Clone();
                }

                layers.Add(new ParametersFileLayer(profile, values));
            }
            catch (JsonException exception)
            {
                errors.Add($"{relative} is not valid JSON: {exception.Message}");
            }
        }
    }
}
