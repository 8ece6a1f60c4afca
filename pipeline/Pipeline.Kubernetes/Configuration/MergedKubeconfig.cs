using System.Text.Json.Nodes;
using k8s;
using k8s.KubeConfigModels;
using Pipeline.Kubernetes.Manifests;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>
/// Several kubeconfig files, each read by KubernetesClient, merged as kubectl merges KUBECONFIG: for every cluster,
/// user and context name and for current-context, the first file that sets it wins. KubernetesClient's own merge of
/// several files is internal to it (reachable only through the process-wide KUBECONFIG of BuildDefaultConfig) and
/// resolves every relative path against the first file; here each file's paths are made absolute against its own
/// directory first, as kubectl does.
/// </summary>
internal sealed class MergedKubeconfig
{
    private readonly Dictionary<string, string> definedIn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> tokenFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> interactiveOnly = new(StringComparer.Ordinal);

    private MergedKubeconfig(IReadOnlyList<string> files) => Files = files;

    public IReadOnlyList<string> Files { get; }

    /// <summary>The merged document, every path in it absolute, for <see cref="KubernetesClientConfiguration.BuildConfigFromConfigObject"/>.</summary>
    public K8SConfiguration Document { get; } = new() { Kind = "Config", ApiVersion = "v1", Clusters = [], Users = [], Contexts = [] };

    /// <summary>The file that defined a cluster, user or context ("cluster:name", "user:name", "context:name").</summary>
    public string FileOf(string kind, string name) => definedIn.GetValueOrDefault($"{kind}:{name}", string.Join(", ", Files));

    /// <summary>A user's tokenFile (absolute), which KubernetesClient's kubeconfig model does not read.</summary>
    public string? TokenFileOf(string user) => tokenFiles.GetValueOrDefault(user);

    /// <summary>Whether a user's exec plugin needs a terminal (interactiveMode: Always), which KubernetesClient's model does not read.</summary>
    public bool NeedsTerminal(string user) => interactiveOnly.Contains(user);

    public static async Task<MergedKubeconfig> LoadAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var merged = new MergedKubeconfig(files);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            merged.Merge(file, await ReadAsync(file), await UnmodelledAsync(file, cancellationToken));
        }

        return merged;
    }

    private static async Task<K8SConfiguration> ReadAsync(string file)
    {
        try
        {
            return await KubernetesClientConfiguration.LoadKubeConfigAsync(new FileInfo(file), useRelativePaths: true);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            // Line and column only: the offending text could be a credential.
            throw new KubernetesConfigurationException($"The kubeconfig file '{file}' is not valid YAML (line {e.Start.Line}, column {e.Start.Column}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"Cannot read the kubeconfig file '{file}': {e.Message}", e);
        }
    }

    /// <summary>Per user name, what KubernetesClient's kubeconfig model drops: tokenFile (made absolute) and exec.interactiveMode.</summary>
    private static async Task<Dictionary<string, (string? TokenFile, string? InteractiveMode)>> UnmodelledAsync(string file, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        var root = YamlJson.Parse(await File.ReadAllTextAsync(file, cancellationToken)) as JsonObject;
        foreach (var entry in root?["users"] as JsonArray ?? [])
        {
            if (entry?["name"] is not JsonValue name || !name.TryGetValue(out string? user)) continue;
            var tokenFile = entry["user"]?["tokenFile"] is JsonValue path && path.TryGetValue(out string? p) && p.Length > 0 ? Absolute(file, p) : null;
            var mode = entry["user"]?["exec"]?["interactiveMode"] is JsonValue m && m.TryGetValue(out string? v) ? v : null;
            found[user] = (tokenFile, mode);
        }

        return found;
    }

    private void Merge(string file, K8SConfiguration document, Dictionary<string, (string? TokenFile, string? InteractiveMode)> unmodelled)
    {
        Document.CurrentContext ??= string.IsNullOrEmpty(document.CurrentContext) ? null : document.CurrentContext;
        foreach (var cluster in document.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint is { CertificateAuthority: { Length: > 0 } authority } endpoint) endpoint.CertificateAuthority = Absolute(file, authority);
            Document.Clusters = Add(Document.Clusters, "cluster", cluster.Name, cluster, file);
        }

        foreach (var user in document.Users ?? [])
        {
            if (user.UserCredentials is { } credentials)
            {
                if (credentials.ClientCertificate is { Length: > 0 } certificate) credentials.ClientCertificate = Absolute(file, certificate);
                if (credentials.ClientKey is { Length: > 0 } key) credentials.ClientKey = Absolute(file, key);
                // kubectl resolves a command with a directory part against the file; a bare name is looked up in PATH.
                if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains('/')) exec.Command = Absolute(file, command);
            }

            var before = Document.Users.Count();
            Document.Users = Add(Document.Users, "user", user.Name, user, file);
            if (Document.Users.Count() > before && unmodelled.TryGetValue(user.Name ?? "", out var extra))
            {
                if (extra.TokenFile is { } tokenFile) tokenFiles[user.Name!] = tokenFile;
                if (extra.InteractiveMode == "Always") interactiveOnly.Add(user.Name!);
            }
        }

        foreach (var context in document.Contexts ?? [])
        {
            Document.Contexts = Add(Document.Contexts, "context", context.Name, context, file);
        }
    }

    private IEnumerable<T> Add<T>(IEnumerable<T> into, string kind, string? name, T item, string file)
    {
        if (string.IsNullOrEmpty(name)) throw new KubernetesConfigurationException($"In '{file}', every entry of '{kind}s' needs a name.");
        return definedIn.TryAdd($"{kind}:{name}", file) ? [.. into, item] : into;
    }

    private static string Absolute(string file, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
}
