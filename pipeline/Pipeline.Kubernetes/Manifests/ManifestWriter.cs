using System.Text.Json.Nodes;
using Pipeline.IO;

namespace Pipeline.Kubernetes.Manifests;

/// <summary>Writes each object as its own YAML file (deployment.yaml, service.yaml, ...) for review and for kubectl.</summary>
public static class ManifestWriter
{
    /// <summary>Marks the files of a dry run (deployment.dry-run.yaml), so they are never taken for what a cluster runs.</summary>
    public const string DryRunSuffix = ".dry-run";

    public static Task<IReadOnlyList<string>> WriteAsync(IEnumerable<IKubernetesObject> objects, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return WriteAsync(objects.Select(KubernetesJson.ToJson), directory, dryRun: false, cancellationToken);
    }

    /// <summary>The manifests as sent to the API server; <paramref name="dryRun"/> names the files *.dry-run.yaml.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(IEnumerable<JsonObject> manifests, string directory, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var manifest in manifests)
        {
            var kind = manifest["kind"]?.GetValue<string>() ?? throw new ArgumentException("Every manifest needs a kind.", nameof(manifests));
            var path = Path.Combine(directory, FileName(kind, dryRun));
            if (written.Contains(path))
            {
                throw new ArgumentException($"Two objects would be written to '{path}'; one file per kind is expected.", nameof(manifests));
            }

            await AtomicFile.WriteAllTextAsync(path, YamlJson.ToYaml(manifest), cancellationToken);
            written.Add(path);
        }

        return written;
    }

    public static string ToYaml(IKubernetesObject value) => YamlJson.ToYaml(KubernetesJson.ToJson(value));

    public static string FileName(IKubernetesObject value) => FileName(value?.Kind ?? throw new ArgumentNullException(nameof(value)), dryRun: false);

    public static string FileName(string kind, bool dryRun) => kind.ToLowerInvariant() + (dryRun ? DryRunSuffix : "") + ".yaml";
}
