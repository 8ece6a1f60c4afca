using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>A failure the fake answers with a metav1.Status body, as the API server does.</summary>
internal sealed class StatusException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = Message,
        ["reason"] = Reason,
        ["code"] = Code,
    };

    public static StatusException NotFound(string resource, string name) => new(404, "NotFound", $"{resource} \"{name}\" not found");

    public static StatusException BadRequest(string message) => new(400, "BadRequest", message);
}
