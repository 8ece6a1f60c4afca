using System.Net;
using System.Net.Sockets;
using Pipeline.Docker;
using Pipeline.ModelRegistry;
using Pipeline.Processes;
using Pipeline.ReverseProxy;
using Pipeline.Stages;
using TestSupport;

namespace Pipeline.Stages.Tests;

/// <summary>
/// One local deployment of a test's own: a unique deployment name (so container names), a free port for the edge,
/// an edge state directory and a registry environment. Disposing stops its edge and removes its containers.
/// </summary>
public sealed class DeployHarness : IAsyncDisposable
{
    private readonly DeployVersionsFixture _versions;
    private readonly TemporaryDirectory _directory = new();

    /// <param name="sharingEdgeWith">Another harness whose edge port and state this one uses: a second deployment aimed at the same endpoint.</param>
    /// <param name="model">The model this deployment serves (its route on the edge); the image must serve it under that name.</param>
    public DeployHarness(DeployVersionsFixture versions, TestLog log, DeployHarness? sharingEdgeWith = null, string model = "fashion-mnist")
    {
        _versions = versions;
        Log = log;
        Name = $"dt-{Guid.NewGuid():N}"[..15];
        Port = sharingEdgeWith?.Port ?? LoopbackPort.Free();
        // Its own even when sharing an edge: one gRPC port serves one model.
        GrpcPort = LoopbackPort.Free();
        Environment = Name;
        Registry = new FileSystemModelRegistry(versions.RegistryDirectory, TimeProvider.System);
        Model = model;
        Edge = new HaproxyEdge(new ProcessRunner(), sharingEdgeWith?.Edge.Layout ?? new EdgeLayout(_directory.File("edge")), log.Add);
        // Every test deployment runs as the build runs one: its containers mount a key file and the pipeline's requests
        // present the key (one key per endpoint, as the build keeps one per environment). Task.Run: no test sync context to block.
        ApiKeys = sharingEdgeWith?.ApiKeys ?? Task.Run(() => ServingKeyMount.WriteAsync(_directory.File("serving-keys"), "test",
            new Pipeline.IO.ServingApiKey("pipeline-test", $"deploy-test-{Guid.NewGuid():N}"), CancellationToken.None)).GetAwaiter().GetResult();
    }

    /// <summary>The key file the deployment's containers mount and the key its clients (smoke test, analysis traffic, <see cref="ProxyLoad"/>) present.</summary>
    public ServingKeyMount ApiKeys { get; }

    public string Name { get; }
    public int Port { get; }
    public int GrpcPort { get; }
    public string Environment { get; }

    /// <summary>The model's production record the deployer keeps in <see cref="Environment"/>.</summary>
    public ReleaseTarget Target => new(Environment) { Model = Model };
    public string Model { get; }
    public TestLog Log { get; }
    public FileSystemModelRegistry Registry { get; }
    public HaproxyEdge Edge { get; }
    public DockerClient Docker => _versions.Container.Docker;
    public string OutputDirectory => _directory.File("deploy");
    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    /// <summary>A deployer as the build makes one; every call gets a fresh one, so nothing is carried in memory between calls.</summary>
    /// <param name="configure">Changes to the options the build would pass (e.g. --local-tls).</param>
    public LocalDeployer Deployer(PipelineRunFixture run, Action<string>? log = null, TimeSpan? verifyTimeout = null,
        Func<LocalDeployOptions, LocalDeployOptions>? configure = null)
    {
        log ??= Log.Add;
        configure ??= options => options;
        return new(Docker, Registry, new HaproxyEdge(new ProcessRunner(), Edge.Layout, log), new ModelSmokeTest(run.Ort, log),
            configure(new LocalDeployOptions(Name, Port, Environment, Model, run.Data, _versions.Container.Repository, OutputDirectory)
            {
                RegistryCredentials = _versions.Container.Credentials,
                ApiKeys = ApiKeys,
                SmokeSamples = 8,
                VerifyTimeout = verifyTimeout ?? TimeSpan.FromSeconds(30),
                GrpcListenPort = GrpcPort,
            }),
            TimeProvider.System, log);
    }

    public Task<LocalDeployment> DeployAsync(PipelineRunFixture run, DeployVersion version, bool dryRun = false, LocalDeployer? deployer = null) =>
        (deployer ?? Deployer(run)).DeployAsync(Manifest(version), Image(version), "0123456789abcdef", $"deploy test {Name}", dryRun, CancellationToken.None);

    /// <summary>What Validate would have written for <paramref name="version"/>.</summary>
    public ReleaseManifest Manifest(DeployVersion version) => new(Model, version.Version, version.Sha256, "fp32", version.ModelPath, "0123456789abcdef");

    /// <summary>What Containerize would have recorded for <paramref name="version"/>'s image.</summary>
    public static ContainerImage Image(DeployVersion version) =>
        new(version.Image, [ImageTags.ForModel(version.Version, version.Sha256)], "", "", 0, null, 0, 0, 0);

    public async Task<IReadOnlyList<ContainerSummary>> ContainersAsync() =>
        await Docker.ListContainersAsync(new ContainerFilter { Labels = [$"{DeploymentLabels.Deployment}={Name}"] }, CancellationToken.None);

    /// <summary>The versions the model's metadata names through the edge.</summary>
    public async Task<IReadOnlyList<string>> ServedVersionsAsync()
    {
        using var http = new HttpClient { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(10) };
        return await new OpenInferenceClient(http, Model, ApiKeys.Key).ModelVersionsAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await Edge.StopAsync(CancellationToken.None);
        foreach (var container in await ContainersAsync())
            await Docker.RemoveContainerAsync(container.Id, force: true, CancellationToken.None);
        Registry.Dispose();
        _directory.Dispose();
    }

}
