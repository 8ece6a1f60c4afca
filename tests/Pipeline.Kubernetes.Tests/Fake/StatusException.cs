using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>A failure the fake answers with a metav1.Status body, as the API server does.</summary>
internal sealed class StatusException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        // Some failures carry no reason (a schema error in an apply patch, answered as 500 up to at least 1.27).
        if (Reason.Length > 0) status["reason"] = Reason;
        if (details is not null) status["details"] = details.DeepClone();
        status["code"] = Code;
        return status;
    }

    /// <summary>
    /// 422 Invalid as the API server words it: `Deployment.apps "x" is invalid: field: Invalid value: v: why`, several
    /// causes in brackets, and details.causes with reason, message and field.
    /// </summary>
    public static StatusException Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var qualified = group.Length == 0 ? kind : $"{kind}.{group}";
        var texts = errors.Select(e => e.ToString()).ToList();
        var message = $"{qualified} \"{name}\" is invalid: " + (texts.Count == 1 ? texts[0] : $"[{string.Join(", ", texts)}]");
        var details = new JsonObject
        {
            ["name"] = name,
            ["group"] = group,
            ["kind"] = kind,
            ["causes"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field }).ToArray()),
        };
        return new StatusException(422, "Invalid", message, details);
    }

    public static StatusException NotFound(string resource, string name) => new(404, "NotFound", $"{resource} \"{name}\" not found");

    public static StatusException BadRequest(string message) => new(400, "BadRequest", message);
}

/// <summary>One field's validation error (field.ErrorList in the API server): "spec.replicas: Invalid value: -1: must be greater than or equal to 0".</summary>
internal sealed record FieldError(string Reason, string Field, string Detail)
{
    public static FieldError InvalidValue(string field, JsonNode? value, string why) =>
        new("FieldValueInvalid", field, $"Invalid value: {Show(value)}: {why}");

    public static FieldError UnknownField(string field) => new("FieldValueInvalid", field, "unknown field");

    public static FieldError Required(string field) => new("FieldValueRequired", field, "Required value");

    public override string ToString() => $"{Field}: {Detail}";

    // Strings are quoted and numbers bare, as Go's %#v-style rendering in field errors shows them.
    private static string Show(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue(out string? s) => $"\"{s}\"",
        null => "null",
        _ => value.ToJsonString(),
    };
}
