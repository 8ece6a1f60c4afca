using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// The API server's value validation of the kinds the pipeline writes (pkg/apis/*/validation), the part clients
/// get wrong: label syntax, non-negative counts, a Deployment's selector matching its template, autoscaler bounds,
/// service ports. Every error at once, as a 422 Invalid Status with the server's wording.
/// </summary>
internal static partial class Validation
{
    private const string LabelValueHelp =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const string LabelNameHelp =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    /// <summary>Throws 422 Invalid when <paramref name="value"/> (as it would be stored) breaks a rule.</summary>
    public static void Check(JsonObject value, string kind, string group, string name)
    {
        var errors = new List<FieldError>();
        Labels(value.At("metadata", "labels"), "metadata.labels", errors);
        switch (kind)
        {
            case "Deployment":
                Deployment(value, errors);
                break;
            case "HorizontalPodAutoscaler":
                Autoscaler(value, errors);
                break;
            case "Service":
                Service(value, errors);
                break;
            case "Secret":
                SecretData(value, errors);
                break;
            case "PodDisruptionBudget":
                AtLeast(value.At("spec", "maxUnavailable"), "spec.maxUnavailable", 0, errors);
                break;
        }

        if (errors.Count > 0) throw StatusException.Invalid(kind, group, name, errors);
    }

    private static void Deployment(JsonObject value, List<FieldError> errors)
    {
        AtLeast(value.At("spec", "replicas"), "spec.replicas", 0, errors);
        AtLeast(value.At("spec", "revisionHistoryLimit"), "spec.revisionHistoryLimit", 0, errors);
        Labels(value.At("spec", "template", "metadata", "labels"), "spec.template.metadata.labels", errors);
        var selector = value.At("spec", "selector", "matchLabels") as JsonObject ?? [];
        var templateLabels = value.At("spec", "template", "metadata", "labels") as JsonObject ?? [];
        if (selector.Count == 0)
        {
            errors.Add(new FieldError("FieldValueRequired", "spec.selector", "Required value"));
        }
        else if (selector.Any(p => templateLabels[p.Key]?.ToString() != p.Value?.ToString()))
        {
            errors.Add(new FieldError("FieldValueInvalid", "spec.template.metadata.labels", $"Invalid value: {GoMap(templateLabels)}: `selector` does not match template `labels`"));
        }

        PodSpec(value.At("spec", "template", "spec") as JsonObject ?? [], "spec.template.spec", errors);
        if (value.At("spec", "progressDeadlineSeconds") is JsonValue deadline && deadline.TryGetValue(out long seconds) &&
            seconds <= value.Num("spec", "minReadySeconds"))
        {
            errors.Add(FieldError.InvalidValue("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
        }
    }

    /// <summary>The pod rules the API key Secret's volume and the gRPC probe depend on (pkg/apis/core/validation).</summary>
    private static void PodSpec(JsonObject pod, string path, List<FieldError> errors)
    {
        var volumes = (pod["volumes"] as JsonArray ?? []).Select(v => v.Str("name")).ToHashSet();
        var volumeList = pod["volumes"] as JsonArray ?? [];
        for (var v = 0; v < volumeList.Count; v++)
            if (volumeList[v].At("secret", "defaultMode") is JsonValue mode && mode.TryGetValue(out long bits) && bits is < 0 or > 511)
                errors.Add(FieldError.InvalidValue($"{path}.volumes[{v}].secret.defaultMode", mode, "must be a number between 0 and 0777 (octal), both inclusive"));
        var containers = pod["containers"] as JsonArray ?? [];
        for (var c = 0; c < containers.Count; c++)
        {
            var at = $"{path}.containers[{c}]";
            var mounts = containers[c].At("volumeMounts") as JsonArray ?? [];
            for (var m = 0; m < mounts.Count; m++)
                if (!volumes.Contains(mounts[m].Str("name")))
                    errors.Add(new FieldError("FieldValueNotFound", $"{at}.volumeMounts[{m}].name", $"Not found: \"{mounts[m].Str("name")}\""));
            var ports = containers[c].At("ports") as JsonArray ?? [];
            if (ports.Select(p => p.Str("name")).Where(n => n is not null).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
                errors.Add(new FieldError("FieldValueDuplicate", $"{at}.ports[].name", $"Duplicate value: \"{duplicate.Key}\""));
            foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
                if (containers[c].At(probe, "grpc") is JsonObject grpc && !(grpc["port"] is JsonValue port && port.TryGetValue(out long number) && number is >= 1 and <= 65535))
                    errors.Add(FieldError.InvalidValue($"{at}.{probe}.grpc.port", grpc["port"], "must be between 1 and 65535, inclusive"));
        }
    }

    private static void SecretData(JsonObject value, List<FieldError> errors)
    {
        foreach (var (key, data) in value.At("data") as JsonObject ?? [])
        {
            var text = data is JsonValue v && v.TryGetValue(out string? s) ? s : "";
            if (!Convert.TryFromBase64String(text, new byte[text.Length], out _))
                errors.Add(FieldError.InvalidValue($"data[{key}]", JsonValue.Create("<hidden>"), "illegal base64 data"));
        }
    }

    private static void Autoscaler(JsonObject value, List<FieldError> errors)
    {
        var min = value.At("spec", "minReplicas");
        AtLeast(min, "spec.minReplicas", 1, errors);
        var max = value.At("spec", "maxReplicas");
        if (max is JsonValue m && m.TryGetValue(out long maximum) && maximum < (min is null ? 1 : value.Num("spec", "minReplicas")))
        {
            errors.Add(FieldError.InvalidValue("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
        }
    }

    private static void Service(JsonObject value, List<FieldError> errors)
    {
        var ports = value.At("spec", "ports") as JsonArray ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i].At("port") is JsonValue p && p.TryGetValue(out long port) && port is < 1 or > 65535)
            {
                errors.Add(FieldError.InvalidValue($"spec.ports[{i}].port", p, "must be between 1 and 65535, inclusive"));
            }
        }
    }

    private static void AtLeast(JsonNode? node, string field, long minimum, List<FieldError> errors)
    {
        if (node is JsonValue v && v.TryGetValue(out long number) && number < minimum)
        {
            errors.Add(FieldError.InvalidValue(field, node, $"must be greater than or equal to {minimum}"));
        }
    }

    private static void Labels(JsonNode? labels, string field, List<FieldError> errors)
    {
        foreach (var (key, value) in labels as JsonObject ?? [])
        {
            var name = key.Contains('/') ? key[(key.IndexOf('/') + 1)..] : key;
            if (name.Length is 0 or > 63 || !LabelName().IsMatch(name))
            {
                errors.Add(FieldError.InvalidValue(field, JsonValue.Create(key), LabelNameHelp));
            }

            var text = value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "";
            if (text.Length > 63) errors.Add(FieldError.InvalidValue(field, JsonValue.Create(text), "must be no more than 63 characters"));
            if (!LabelValue().IsMatch(text)) errors.Add(FieldError.InvalidValue(field, JsonValue.Create(text), LabelValueHelp));
        }
    }

    /// <summary>A label map as Go's %#v prints it in the selector mismatch message.</summary>
    private static string GoMap(JsonObject labels) =>
        "map[string]string{" + string.Join(", ", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}";

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex LabelName();
}
