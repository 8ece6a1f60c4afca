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

        if (value.At("spec", "progressDeadlineSeconds") is JsonValue deadline && deadline.TryGetValue(out long seconds) &&
            seconds <= value.Num("spec", "minReadySeconds"))
        {
            errors.Add(FieldError.InvalidValue("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
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
