namespace Pipeline.Kubernetes.Tests.Support;

internal static class Releases
{
    public static KubernetesRelease Version(string version, string image = "127.0.0.1:5000/fashion-mnist-serving") => new(
        "fashion-mnist", version, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("model " + version))),
        $"{image}:{version}", "default", Replicas: 2)
    {
        ProgressDeadlineSeconds = 2,
    };

    public static KubernetesDeployOptions FastOptions => new()
    {
        RolloutTimeout = TimeSpan.FromSeconds(60),
        RollbackTimeout = TimeSpan.FromSeconds(60),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };
}
