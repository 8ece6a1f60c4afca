using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Manifests;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>One named entry (cluster, user or context) and the file that defined it, against which its relative paths resolve.</summary>
internal sealed record KubeconfigEntry(string Name, JsonObject Body, string File)
{
    public string? String(string key) => Body[key] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;

    public bool Bool(string key) => Body[key] is JsonValue v && (v.TryGetValue(out bool b) ? b : v.TryGetValue(out string? s) && s == "true");

    /// <summary>A path as written, made absolute against the defining file's directory (kubectl's rule).</summary>
    public string? Path(string key) => String(key) is { } p ? Resolve(p) : null;

    public string Resolve(string path) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(File)!, path));
}

/// <summary>
/// Several kubeconfig files merged as kubectl merges KUBECONFIG: for every cluster, user and context name and for
/// current-context, the first file that sets it wins.
/// </summary>
internal sealed class KubeconfigDocument
{
    private readonly Dictionary<string, KubeconfigEntry> clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeconfigEntry> users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeconfigEntry> contexts = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Files { get; }

    public string? CurrentContext { get; private set; }

    public IReadOnlyDictionary<string, KubeconfigEntry> Clusters => clusters;

    public IReadOnlyDictionary<string, KubeconfigEntry> Users => users;

    public IReadOnlyDictionary<string, KubeconfigEntry> Contexts => contexts;

    private KubeconfigDocument(IReadOnlyList<string> files) => Files = files;

    public static async Task<KubeconfigDocument> LoadAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var document = new KubeconfigDocument(files);
        foreach (var file in files)
        {
            document.Merge(file, await ReadAsync(file, cancellationToken));
        }

        return document;
    }

    private static async Task<JsonObject> ReadAsync(string file, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"Cannot read the kubeconfig file '{file}': {e.Message}", e);
        }

        try
        {
            return YamlJson.Parse(text) switch
            {
                null => new JsonObject(),
                JsonObject o => o,
                _ => throw new KubernetesConfigurationException($"The kubeconfig file '{file}' is not a mapping (expected apiVersion, clusters, users, contexts)."),
            };
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            // Line and column only: the offending text could be a credential.
            throw new KubernetesConfigurationException($"The kubeconfig file '{file}' is not valid YAML (line {e.Start.Line}, column {e.Start.Column}).", e);
        }
    }

    private void Merge(string file, JsonObject root)
    {
        if (CurrentContext is null && root["current-context"] is JsonValue current && current.TryGetValue(out string? name) && name.Length > 0)
        {
            CurrentContext = name;
        }

        MergeList(file, root, "clusters", "cluster", clusters);
        MergeList(file, root, "users", "user", users);
        MergeList(file, root, "contexts", "context", contexts);
    }

    private static void MergeList(string file, JsonObject root, string listKey, string bodyKey, Dictionary<string, KubeconfigEntry> into)
    {
        if (root[listKey] is null) return;
        if (root[listKey] is not JsonArray list)
        {
            throw new KubernetesConfigurationException($"In '{file}', '{listKey}' must be a list of {{name, {bodyKey}}} entries.");
        }

        foreach (var item in list)
        {
            if (item is not JsonObject entry || entry["name"] is not JsonValue nameValue || !nameValue.TryGetValue(out string? name) || name.Length == 0)
            {
                throw new KubernetesConfigurationException($"In '{file}', every entry of '{listKey}' needs a name.");
            }

            var body = entry[bodyKey] as JsonObject ?? new JsonObject();
            into.TryAdd(name, new KubeconfigEntry(name, body, file));
        }
    }
}
