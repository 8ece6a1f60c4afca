using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>The legacy discovery documents (/api, /apis, /api/v1, /apis/group/version) kubectl maps kinds to resources with.</summary>
internal static class Discovery
{
    private static readonly string[] Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    private static readonly Dictionary<string, string[]> ShortNames = new()
    {
        ["deployments"] = ["deploy"], ["replicasets"] = ["rs"], ["pods"] = ["po"], ["services"] = ["svc"], ["secrets"] = [],
        ["events"] = ["ev"], ["namespaces"] = ["ns"], ["horizontalpodautoscalers"] = ["hpa"], ["poddisruptionbudgets"] = ["pdb"],
    };

    public static JsonObject Version() => new()
    {
        ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-fake", ["gitCommit"] = "0000000", ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z", ["goVersion"] = "go1.23", ["compiler"] = "gc", ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(GroupNames().Select(g => (JsonNode)Group(g)!).ToArray()),
    };

    public static JsonObject? Group(string name)
    {
        var versions = ResourceType.Known.Where(t => t.Group == name).Select(t => t.Version).Distinct().ToList();
        if (versions.Count == 0) return null;
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{name}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Version(v)).ToArray()),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    public static JsonObject? Resources(string group, string version)
    {
        var types = ResourceType.Known.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var type in types)
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Kind.ToLowerInvariant(),
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(Verbs.Select(v => (JsonNode)v).ToArray()),
                ["shortNames"] = new JsonArray(ShortNames[type.Plural].Select(v => (JsonNode)v).ToArray()),
            });
            if (type.Plural is "deployments" or "replicasets" or "pods")
            {
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status", ["singularName"] = "", ["namespaced"] = true, ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["resources"] = resources };
    }

    private static IEnumerable<string> GroupNames() => ResourceType.Known.Select(t => t.Group).Where(g => g.Length > 0).Distinct();
}
