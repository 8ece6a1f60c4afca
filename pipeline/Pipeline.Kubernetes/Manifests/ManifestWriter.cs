using Pipeline.IO;

namespace Pipeline.Kubernetes.Manifests;

/// <summary>Writes each object as its own YAML file (deployment.yaml, service.yaml, ...) for review and for kubectl.</summary>
public static class ManifestWriter
{
    public static async Task<IReadOnlyList<string>> WriteAsync(IEnumerable<IKubernetesObject> objects, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var value in objects)
        {
            var path = Path.Combine(directory, FileName(value));
            if (written.Contains(path))
            {
                throw new ArgumentException($"Two objects would be written to '{path}'; one file per kind is expected.", nameof(objects));
            }

            await AtomicFile.WriteAllTextAsync(path, ToYaml(value), cancellationToken);
            written.Add(path);
        }

        return written;
    }

    public static string ToYaml(IKubernetesObject value) => YamlJson.ToYaml(KubernetesJson.ToJson(value));

    public static string FileName(IKubernetesObject value) => value.Kind.ToLowerInvariant() + ".yaml";
}
