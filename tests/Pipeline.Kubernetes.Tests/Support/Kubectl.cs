using Pipeline.Processes;
using TestSupport;

namespace Pipeline.Kubernetes.Tests.Support;

/// <summary>The real kubectl, pointed at a fake server through a kubeconfig in a temporary directory (never ~/.kube).</summary>
internal sealed class Kubectl(string kubeconfigPath, string homeDirectory)
{
    private readonly ProcessRunner runner = new();

    public static async Task<Kubectl> ForAsync(Fake.FakeApiServer server, TemporaryDirectory directory)
    {
        var path = directory.File("kubeconfig");
        await File.WriteAllTextAsync(path, server.Kubeconfig());
        Directory.CreateDirectory(directory.File("home"));
        return new Kubectl(path, directory.File("home"));
    }

    public async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var spec = new ProcessSpec("kubectl", arguments)
        {
            // HOME keeps kubectl's discovery cache out of the real home directory.
            Environment = new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfigPath, ["HOME"] = homeDirectory },
        };
        return await runner.RunAsync(spec, timeout.Token);
    }
}
