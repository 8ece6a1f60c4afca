using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Processes;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>A kubeconfig user's exec section: the plugin to run and what it is told.</summary>
internal sealed record ExecCredentialSpec(
    string ApiVersion, string Command, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string ExecInfo, string Where)
{
    private static readonly string[] SupportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];

    public static ExecCredentialSpec From(JsonObject exec, KubeconfigEntry user, KubeconfigEntry cluster, Uri server)
    {
        var where = $"the exec plugin of the user '{user.Name}' in {user.File}";
        var execEntry = new KubeconfigEntry(user.Name, exec, user.File);
        var apiVersion = execEntry.String("apiVersion")
            ?? throw new KubernetesConfigurationException($"{where} has no apiVersion; use client.authentication.k8s.io/v1.");
        if (!SupportedVersions.Contains(apiVersion))
        {
            throw new KubernetesConfigurationException($"{where} asks for apiVersion '{apiVersion}'; supported: {string.Join(", ", SupportedVersions)}.");
        }

        var command = execEntry.String("command") ?? throw new KubernetesConfigurationException($"{where} has no command.");
        // kubectl resolves a relative command only when it has a directory part; a bare name is looked up in PATH.
        if (command.Contains('/')) command = execEntry.Resolve(command);
        if (execEntry.String("interactiveMode") == "Always")
        {
            throw new KubernetesConfigurationException($"{where} needs an interactive terminal (interactiveMode: Always); the pipeline has none.");
        }

        var arguments = (exec["args"] as JsonArray ?? []).Select(a => a?.GetValue<string>() ?? "").ToList();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in exec["env"] as JsonArray ?? [])
        {
            if (variable?["name"]?.GetValue<string>() is { Length: > 0 } name) environment[name] = variable["value"]?.GetValue<string>() ?? "";
        }

        var spec = new JsonObject { ["interactive"] = false };
        if (execEntry.Bool("provideClusterInfo"))
        {
            var clusterInfo = new JsonObject { ["server"] = server.ToString() };
            if (cluster.String("certificate-authority-data") is { } ca) clusterInfo["certificate-authority-data"] = ca;
            if (cluster.Bool("insecure-skip-tls-verify")) clusterInfo["insecure-skip-tls-verify"] = true;
            spec["cluster"] = clusterInfo;
        }

        var info = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = "ExecCredential", ["spec"] = spec };
        return new ExecCredentialSpec(apiVersion, command, arguments, environment, info.ToJsonString(), where);
    }
}

/// <summary>
/// Runs the plugin and reads its ExecCredential (status.token, or status.clientCertificateData/clientKeyData),
/// keeping the answer until its expirationTimestamp. The plugin's output is never logged: it is the credential.
/// </summary>
internal sealed class ExecCredentials(
    ExecCredentialSpec spec, IProcessRunner processes, Func<string, string?> environment, TimeProvider time, X509Certificate2? configuredCertificate)
    : IKubernetesCredentials
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ClientCredentials? cached;
    private DateTimeOffset? expires;

    public string Description => $"exec plugin {spec.Command}";

    public async Task<ClientCredentials> GetAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cached is not null && (expires is null || time.GetUtcNow() < expires.Value.AddSeconds(-10)))
            {
                return cached;
            }

            (cached, expires) = await RunAsync(cancellationToken);
            return cached;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(ClientCredentials, DateTimeOffset?)> RunAsync(CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(spec.Environment) { ["KUBERNETES_EXEC_INFO"] = spec.ExecInfo };
        ProcessResult result;
        try
        {
            result = await processes.RunAsync(new ProcessSpec(spec.Command, spec.Arguments) { Environment = variables }, cancellationToken);
        }
        catch (CommandNotFoundException e)
        {
            throw new KubernetesConfigurationException(
                $"{spec.Where}: the command '{spec.Command}' was not found (PATH={environment("PATH")}). Install it or fix the kubeconfig.", e);
        }

        if (!result.Succeeded)
        {
            // Standard error only (plugins print their diagnostics there); standard output may hold a token.
            throw new KubernetesConfigurationException(
                $"{spec.Where}: '{spec.Command}' exited with code {result.ExitCode}: {Tail(result.StandardError)}");
        }

        return Parse(result.StandardOutput);
    }

    private (ClientCredentials, DateTimeOffset?) Parse(string output)
    {
        JsonObject? status;
        string? apiVersion;
        try
        {
            var root = JsonNode.Parse(output) as JsonObject;
            apiVersion = root?["apiVersion"]?.GetValue<string>();
            status = root?["status"] as JsonObject;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new KubernetesConfigurationException($"{spec.Where}: '{spec.Command}' did not print an ExecCredential JSON object.", e);
        }

        if (apiVersion != spec.ApiVersion)
        {
            throw new KubernetesConfigurationException(
                $"{spec.Where}: '{spec.Command}' answered with apiVersion '{apiVersion}', but the kubeconfig asks for '{spec.ApiVersion}'.");
        }

        if (status is null) throw new KubernetesConfigurationException($"{spec.Where}: the ExecCredential from '{spec.Command}' has no status.");
        var token = status["token"]?.GetValue<string>();
        var certificatePem = status["clientCertificateData"]?.GetValue<string>();
        var keyPem = status["clientKeyData"]?.GetValue<string>();
        var certificate = certificatePem is not null && keyPem is not null
            ? ClientCertificates.FromPem(certificatePem, keyPem, spec.Where)
            : configuredCertificate;
        if (string.IsNullOrEmpty(token) && certificate is null)
        {
            throw new KubernetesConfigurationException(
                $"{spec.Where}: the ExecCredential from '{spec.Command}' has neither status.token nor status.clientCertificateData and clientKeyData.");
        }

        DateTimeOffset? expiry = status["expirationTimestamp"]?.GetValue<string>() is { } stamp
            && DateTimeOffset.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : null;
        return (new ClientCredentials(string.IsNullOrEmpty(token) ? null : token, certificate), expiry);
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3).ToList();
        return lines.Count == 0 ? "(no message on standard error)" : string.Join(" | ", lines);
    }
}
