using TestSupport;
using System.Net;
using System.Net.Sockets;
using Pipeline.Docker;
using Pipeline.DotNet;
using Pipeline.Gates;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using Pipeline.Stages;

namespace Pipeline.Stages.Tests;

/// <summary>
/// The serving image built once by the real Containerize stage from the pipeline-run fixture's gated model,
/// pushed to a registry of the test's own (docker-registry on a free loopback port, htpasswd auth).
/// </summary>
public sealed class ContainerImageFixture(PipelineRunFixture run) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<int> _registryPids = [];
    private ContainerImage? _image;

    public DockerClient Docker { get; } = new(DockerEndpoint.Default);
    public ReleaseManifest? Release { get; private set; }
    public string Repository { get; private set; } = "";

    /// <summary>What the image was built from, for tests that run Containerize again.</summary>
    public ContainerizeRequest? Request { get; private set; }

    /// <summary>The login of the test's own image registry (where <see cref="Repository"/> lives).</summary>
    public RegistryCredentials? Credentials { get; private set; }

    public async Task<ContainerImage> ImageAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _image ??= await BuildAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ContainerImage> BuildAsync()
    {
        var runner = new ProcessRunner();
        var output = Path.Combine(run.Directory.Path, "container");
        var registryOptions = new LocalImageRegistryOptions(Path.Combine(run.Directory.Path, "image-registry"), LoopbackPort.Free());
        var login = RegistryLogin.LoadOrCreate(registryOptions.Directory, "test", null);
        var registry = await new LocalImageRegistry(new AptPackageInstaller(runner), HostSystem.Detect(), new DetachedDaemonLauncher(runner),
            runner, registryOptions, login).EnsureAsync(CancellationToken.None);
        if (registry.Detail("pid") is { } pid) _registryPids.Add(int.Parse(pid));

        using var registryOfModels = run.OpenRegistry();
        var validated = await new ValidateStage(run.Ort, registryOfModels, run.Log.Add, PipelineRunFixture.FastEvaluation)
            .RunAsync(run.ValidateRequest(new GateThresholds { MinAccuracy = 0.70 }, Path.Combine(run.Directory.Path, "gates"), "container-test"), CancellationToken.None);
        Release = validated.Release ?? throw new InvalidOperationException(validated.Report.Decision.Explanation);

        var root = TestSupport.RepositoryRoot.Find();
        var app = Path.Combine(output, "publish");
        await new DotNetCli(runner, run.Log.Add).PublishAsync(Path.Combine(root, "serving", "Serving.Server", "Serving.Server.csproj"), app, "linux-x64", CancellationToken.None);
        Repository = $"{registryOptions.Address}/stage-test-serving";
        Credentials = new RegistryCredentials(login.Username, login.Password, registryOptions.Address);
        Request = new ContainerizeRequest(
            Release, app, Path.Combine(root, "serving", "Dockerfile"), output, run.Data, Repository,
            Credentials!, DateTimeOffset.UnixEpoch, SmokeSamples: 16)
        {
            // As the build runs it: the smoke-test container mounts a key file and the smoke test presents the key.
            ApiKeys = await ServingKeyMount.WriteAsync(Path.Combine(run.Directory.Path, "serving-keys"), "test",
                new Pipeline.IO.ServingApiKey("pipeline-test", $"containerize-test-{Guid.NewGuid():N}"), CancellationToken.None),
        };
        return await new ContainerizeStage(Docker, runner, run.Ort, run.Log.Add).RunAsync(Request, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_image is not null)
            foreach (var tag in _image.Tags)
                try { await Docker.RemoveImageAsync($"{Repository}:{tag}", force: true, CancellationToken.None); } catch (DockerException) { }
        foreach (var pid in _registryPids)
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        Docker.Dispose();
    }

}
