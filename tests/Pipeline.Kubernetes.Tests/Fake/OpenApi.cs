using System.Text.Json.Nodes;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// Just enough OpenAPI v3 for kubectl's validation: it looks for the fieldValidation parameter on a kind's PATCH
/// operation and, finding it, leaves validation to the server (fieldValidation=Strict) instead of needing schemas.
/// </summary>
internal static class OpenApi
{
    public static JsonObject Root()
    {
        var paths = new JsonObject();
        foreach (var gv in GroupVersions())
        {
            paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash=fake{gv.Length}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(string gv)
    {
        var types = ResourceType.Known.Where(t => Key(t) == gv).ToList();
        if (types.Count == 0) return null;
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var path = type.Namespaced
                ? $"/{(type.Group.Length == 0 ? "api" : "apis/" + type.Group)}/{type.Version}/namespaces/{{namespace}}/{type.Plural}/{{name}}"
                : $"/{(type.Group.Length == 0 ? "api" : "apis/" + type.Group)}/{type.Version}/{type.Plural}/{{name}}";
            paths[path] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{type.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind },
                    ["parameters"] = new JsonArray(
                        Parameter("dryRun"), Parameter("fieldManager"), Parameter("fieldValidation"), Parameter("force")),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Parameter(string name) => new()
    {
        ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static string Key(ResourceType type) => type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";

    private static IEnumerable<string> GroupVersions() => ResourceType.Known.Select(Key).Distinct();
}
