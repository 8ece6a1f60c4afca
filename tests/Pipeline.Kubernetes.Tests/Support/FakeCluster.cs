using Pipeline.Kubernetes.Configuration;

namespace Pipeline.Kubernetes.Tests.Support;

/// <summary>A running fake API server with the pipeline's own client connected through a kubeconfig, and the real kubectl.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private readonly TemporaryDirectory directory;
    private readonly List<string> log = [];

    private FakeCluster(TemporaryDirectory directory, FakeApiServer server, KubernetesApiClient client, Kubectl kubectl)
    {
        this.directory = directory;
        Server = server;
        Client = client;
        Kubectl = kubectl;
    }

    public FakeApiServer Server { get; }

    public KubernetesApiClient Client { get; }

    public Kubectl Kubectl { get; }

    public TemporaryDirectory Directory => directory;

    public IReadOnlyList<string> Log { get { lock (log) return [.. log]; } }

    public KubernetesDeployer Deployer => new(Client, TimeProvider.System, line => { lock (log) log.Add(line); });

    public static async Task<FakeCluster> StartAsync(TimeSpan? tick = null)
    {
        var server = await FakeApiServer.StartAsync(tick ?? TimeSpan.FromMilliseconds(50));
        var directory = new TemporaryDirectory();
        var kubectl = await Kubectl.ForAsync(server, directory);
        var loader = new KubernetesConfigurationLoader(name => name == "KUBECONFIG" ? directory.File("kubeconfig") : null, directory.File("home"));
        var client = new KubernetesApiClient(await loader.LoadAsync(new KubeconfigOptions(), CancellationToken.None));
        return new FakeCluster(directory, server, client, kubectl);
    }

    public async Task<JsonObject> DeploymentAsync(string name = "fashion-mnist-serving") =>
        await Client.GetAsync(ResourceType.Deployments, "default", name, CancellationToken.None) ?? throw new InvalidOperationException($"no deployment {name}");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        directory.Dispose();
    }
}
