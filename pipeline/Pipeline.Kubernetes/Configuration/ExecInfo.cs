using System.Text.Json.Nodes;
using k8s.KubeConfigModels;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>
/// KUBERNETES_EXEC_INFO as the client-go credential plugin spec has it (kind ExecCredential, interactive false: the
/// pipeline has no terminal, and the cluster when provideClusterInfo asks for it). KubernetesClient sends kind
/// "ExecCredentials", its process's UserInteractive and never the cluster; it sets the plugin's env entries after its
/// own variable, so an env entry with this value is what the plugin sees, on every run including refreshes.
/// </summary>
internal static class ExecInfo
{
    public const string Variable = "KUBERNETES_EXEC_INFO";

    public static void Provide(ExternalExecution exec, ClusterEndpoint cluster)
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (exec.ProvideClusterInfo)
        {
            var clusterInfo = new JsonObject { ["server"] = cluster.Server };
            if (!string.IsNullOrEmpty(cluster.CertificateAuthorityData)) clusterInfo["certificate-authority-data"] = cluster.CertificateAuthorityData;
            if (cluster.SkipTlsVerify) clusterInfo["insecure-skip-tls-verify"] = true;
            if (!string.IsNullOrEmpty(cluster.TlsServerName)) clusterInfo["tls-server-name"] = cluster.TlsServerName;
            spec["cluster"] = clusterInfo;
        }

        var info = new JsonObject { ["apiVersion"] = exec.ApiVersion, ["kind"] = "ExecCredential", ["spec"] = spec }.ToJsonString();
        var environment = (exec.EnvironmentVariables ?? []).Where(v => !(v.TryGetValue("name", out var name) && name == Variable)).ToList();
        environment.Add(new Dictionary<string, string> { ["name"] = Variable, ["value"] = info });
        exec.EnvironmentVariables = environment;
    }
}
