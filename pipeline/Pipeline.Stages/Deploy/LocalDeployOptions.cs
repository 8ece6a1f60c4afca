using System.Text.RegularExpressions;
using Pipeline.Docker;

namespace Pipeline.Stages;

/// <summary>
/// A local blue/green deployment: containers named <c>{DeploymentName}-blue|green</c> behind the HAProxy edge on
/// 127.0.0.1:<see cref="ListenPort"/>, releases recorded in the model registry under <see cref="Environment"/>.
/// </summary>
public sealed partial record LocalDeployOptions(
    string DeploymentName,
    int ListenPort,
    string Environment,
    string ModelName,
    ModelSource Data,
    string ImageRepository,
    string OutputDirectory)
{
    /// <summary>This model's production record in <see cref="Environment"/>: each model keeps its own.</summary>
    public Pipeline.ModelRegistry.ReleaseTarget Target => new(Environment) { Model = ModelName };

    /// <summary>For pulling a version's image from the image registry when the engine does not have it.</summary>
    public RegistryCredentials? RegistryCredentials { get; init; }

    /// <summary>The key file every container of the deployment mounts and the key the pipeline's own requests present (null: no authentication).</summary>
    public ServingKeyMount? ApiKeys { get; init; }

    /// <summary>Test images each new container must answer exactly as the gated model does before it gets traffic.</summary>
    public int SmokeSamples { get; init; } = 32;

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long after the switch the edge may take to answer with the new version before Deploy switches back.</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the old slot may take to finish its requests in flight (weight 0 on the edge) before the old container is stopped anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The model's stable gRPC endpoint on 127.0.0.1 (--local-grpc-port): h2c to the same slot as REST. One gRPC port
    /// serves one model, so a second model on the same REST port needs its own (see <see cref="LocalEdgePlan"/>).
    /// </summary>
    public int GrpcListenPort { get; init; } = 8081;

    /// <summary>--local-tls: the edge's endpoints speak TLS only, with a self-signed certificate for 127.0.0.1/localhost kept under the edge's state directory.</summary>
    public bool Tls { get; init; }

    /// <summary>The serving server's own request body limit (its default --max-request-body-bytes), enforced by the edge too.</summary>
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    public void ThrowIfInvalid()
    {
        if (!ContainerName().IsMatch(DeploymentName))
            throw new ArgumentException($"Deployment name '{DeploymentName}' cannot start a container name: use letters, digits and '_', '.', '-', starting with a letter or digit.");
        if (ListenPort is < 1024 or > 65535)
            throw new ArgumentException($"--local-port {ListenPort} is not usable: choose an unprivileged TCP port, 1024-65535 (default 8080).");
        if (SmokeSamples < 1) throw new ArgumentException($"Smoke samples {SmokeSamples} must be at least 1.");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,50}$")]
    private static partial Regex ContainerName();
}
