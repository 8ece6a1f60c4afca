using System.Text.RegularExpressions;

namespace Pipeline.Kubernetes.Manifests;

/// <summary>
/// What to run in the cluster: one model version in one image. Everything the manifests need is here, so the same
/// release always produces the same objects (and a new version always a new pod template, hence a rollout).
/// </summary>
public sealed partial record KubernetesRelease(
    string ModelName,
    string ModelVersion,
    string ModelSha256,
    string Image,
    string Namespace = "default",
    int Replicas = 2)
{
    /// <summary>Objects are named after the model: "fashion-mnist" gives "fashion-mnist-serving".</summary>
    public string Name => NameFor(ModelName);

    /// <summary>The name of every object serving <paramref name="modelName"/>.</summary>
    public static string NameFor(string modelName) => $"{modelName}-serving";

    public ContainerResources Resources { get; init; } = new();

    /// <summary>The key the pods accept, shipped as the Secret <see cref="ApiKeysSecret.NameFor"/>; null deploys them without authentication.</summary>
    public Pipeline.IO.ServingApiKey? ApiKey { get; init; }

    /// <summary>The autoscaler's ceiling; at least <see cref="Replicas"/>.</summary>
    public int MaxReplicas { get; init; } = 4;

    public int TargetCpuUtilizationPercent { get; init; } = 70;

    /// <summary>After this long without progress the Deployment reports ProgressDeadlineExceeded.</summary>
    public int ProgressDeadlineSeconds { get; init; } = 300;

    /// <summary>
    /// preStop sleep: the pod keeps serving while endpoints controllers and proxies stop sending it traffic,
    /// before SIGTERM starts the server's own drain.
    /// </summary>
    public int PreStopDrainSeconds { get; init; } = 10;

    /// <summary>The server's drain after SIGTERM (SERVING_SHUTDOWN_TIMEOUT_SECONDS).</summary>
    public int ShutdownTimeoutSeconds { get; init; } = 25;

    /// <summary>
    /// The version as a label value: SemVer's build-metadata '+' ("1.0.4+ef8780e") is not allowed in labels, so it
    /// becomes '_'. The exact version stays in the pod template's annotation and the server's environment.
    /// </summary>
    public string VersionLabel => ModelVersion.Replace('+', '_');

    /// <summary>Every problem at once, each naming the field and what a good value looks like.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!DnsLabel().IsMatch(ModelName) || Name.Length > 63)
        {
            errors.Add($"model name '{ModelName}' must be lower-case letters, digits and '-', start and end with a letter or digit, " +
                       "and leave room for the '-serving' suffix (at most 55 characters).");
        }

        if (!LabelValue().IsMatch(VersionLabel))
        {
            errors.Add($"model version '{ModelVersion}' must make a Kubernetes label value: at most 63 letters, digits, '-', '_' or '.' " +
                       "(SemVer's '+' becomes '_'), starting and ending with a letter or digit.");
        }

        if (!Sha256().IsMatch(ModelSha256))
        {
            errors.Add("model SHA-256 must be 64 lower-case hexadecimal digits.");
        }

        if (string.IsNullOrWhiteSpace(Image) || Image.Any(char.IsWhiteSpace))
        {
            errors.Add($"image '{Image}' must be an image reference such as registry.example/fashion-mnist-serving:1.2.0.");
        }

        if (!DnsLabel().IsMatch(Namespace))
        {
            errors.Add($"namespace '{Namespace}' must be a DNS label (lower-case letters, digits and '-').");
        }

        if (Replicas < 1) errors.Add($"replicas must be at least 1 (got {Replicas}).");
        if (MaxReplicas < Replicas) errors.Add($"max replicas ({MaxReplicas}) must be at least replicas ({Replicas}).");
        if (TargetCpuUtilizationPercent is < 1 or > 100) errors.Add("target CPU utilization must be 1-100 percent.");
        if (ProgressDeadlineSeconds < 1) errors.Add("progress deadline must be at least 1 second.");
        if (PreStopDrainSeconds < 0 || ShutdownTimeoutSeconds < 0) errors.Add("drain and shutdown times cannot be negative.");
        errors.AddRange(Resources.Validate());
        return errors;
    }

    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("The Kubernetes release is not valid:\n  - " + string.Join("\n  - ", errors));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}

/// <summary>Requests are what the scheduler reserves; limits what the kernel enforces.</summary>
public sealed partial record ContainerResources(
    string CpuRequest = "250m",
    string MemoryRequest = "256Mi",
    string CpuLimit = "1",
    string MemoryLimit = "512Mi",
    string TmpSizeLimit = "64Mi")
{
    public IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[]
                 {
                     ("cpu request", CpuRequest), ("memory request", MemoryRequest), ("cpu limit", CpuLimit),
                     ("memory limit", MemoryLimit), ("/tmp size limit", TmpSizeLimit),
                 })
        {
            if (!Quantity().IsMatch(value))
            {
                yield return $"{name} '{value}' is not a Kubernetes quantity (e.g. 250m, 1, 256Mi, 1Gi).";
            }
        }
    }

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$")]
    private static partial Regex Quantity();
}
