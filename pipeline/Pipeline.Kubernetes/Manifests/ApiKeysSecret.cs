using System.Text;
using Pipeline.IO;

namespace Pipeline.Kubernetes.Manifests;

/// <summary>
/// The serving pods' API keys (issue #16): a Secret <c>&lt;deployment&gt;-api-keys</c> whose key <see cref="DataKey"/> is
/// the key file, projected read-only to <see cref="ServingApiKeyFile.ContainerPath"/> and named by SERVING_API_KEYS_FILE.
/// </summary>
public static class ApiKeysSecret
{
    public const string DataKey = "api-keys";
    public const string VolumeName = "api-keys";

    // Owner and group may read, nobody else; the pod's fsGroup (the image's group 10001) owns the files, so the
    // server's user reads them without the file being world-readable.
    public const int FileMode = 0b100_100_000; // 0440

    public static string NameFor(string deploymentName) => $"{deploymentName}-api-keys";

    public static Secret Create(KubernetesRelease release, ServingApiKey key) =>
        new(new ObjectMeta(NameFor(release.Name), release.Namespace, new Dictionary<string, string>
            {
                [ManifestGenerator.NameLabel] = release.Name,
                [ManifestGenerator.ManagedByLabel] = ManifestGenerator.ManagedBy,
            }),
            new Dictionary<string, string> { [DataKey] = Convert.ToBase64String(Encoding.UTF8.GetBytes(ServingApiKeyFile.Format([key]))) });

    /// <summary>
    /// The Secret as a directory volume at /run/secrets with the one file serving-api-keys in it, not a subPath mount of
    /// the file: subPath mounts never see a changed Secret, while a directory volume is updated in place (the kubelet
    /// swaps a symlink), which the server's reload picks up. The pod mounts no service account token, so nothing
    /// else needs /run/secrets.
    /// </summary>
    public static Volume Volume(KubernetesRelease release) =>
        new(VolumeName, Secret: new SecretVolumeSource(NameFor(release.Name), FileMode,
            [new KeyToPath(DataKey, Path.GetFileName(ServingApiKeyFile.ContainerPath))]));

    public static VolumeMount Mount => new(VolumeName, Path.GetDirectoryName(ServingApiKeyFile.ContainerPath)!, ReadOnly: true);

    public static EnvVar Environment => new(ServingApiKeyFile.EnvironmentVariable, ServingApiKeyFile.ContainerPath);
}
