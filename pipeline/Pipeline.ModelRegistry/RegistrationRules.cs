namespace Pipeline.ModelRegistry;

/// <summary>Checks a registration and puts it in canonical form (trimmed text, lowercase hashes, maps sorted by key),
/// so that equal content compares equal and records are written the same way every time.</summary>
internal static class RegistrationRules
{
    public static ModelRegistration Normalize(ModelRegistration registration)
    {
        var modelName = registration.ModelName?.Trim() ?? "";
        if (modelName.Length == 0 || modelName.Any(char.IsControl))
            throw Invalid($"The model name '{registration.ModelName}' is empty or has control characters; give the model's name, e.g. fashion-mnist.");
        if (string.IsNullOrWhiteSpace(registration.ModelPath))
            throw Invalid("No ONNX file was given to register (ModelPath is empty).");
        var versionId = string.IsNullOrWhiteSpace(registration.VersionId) ? null : registration.VersionId.Trim();
        if (versionId is not null) VersionIds.Validate(versionId);

        return registration with
        {
            ModelName = modelName,
            VersionId = versionId,
            SourceRevision = string.IsNullOrWhiteSpace(registration.SourceRevision) ? null : registration.SourceRevision.Trim(),
            DataHashes = Sorted(registration.DataHashes, "data hash", NormalizeSha256),
            Parameters = Sorted(registration.Parameters, "parameter", (_, value) => value ?? ""),
            Metrics = Sorted(registration.Metrics, "metric", (name, value) => Finite($"metric '{name}'", value)),
            Gates = CheckGates(registration.Gates ?? []),
            Labels = Sorted(registration.Labels, "label", (_, value) => value ?? ""),
            MeasuredOn = Sorted(registration.MeasuredOn, "measured-on entry", (_, value) => value ?? ""),
        };
    }

    public static bool PassedValidation(IReadOnlyList<GateResult> gates) => gates.Count > 0 && gates.All(gate => gate.Passed);

    private static IReadOnlyList<GateResult> CheckGates(IReadOnlyList<GateResult> gates)
    {
        foreach (var gate in gates)
        {
            if (string.IsNullOrWhiteSpace(gate.Gate)) throw Invalid("A gate result has no gate name.");
            Finite($"gate '{gate.Gate}' threshold", gate.Threshold);
            Finite($"gate '{gate.Gate}' measurement", gate.Measured);
        }
        var repeated = gates.GroupBy(gate => gate.Gate, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (repeated is not null) throw Invalid($"The gate '{repeated.Key}' appears {repeated.Count()} times; record each gate once.");
        return gates.ToArray();
    }

    private static SortedDictionary<string, TValue> Sorted<TValue>(
        IReadOnlyDictionary<string, TValue>? entries, string what, Func<string, TValue, TValue> normalizeValue)
    {
        var sorted = new SortedDictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var (key, value) in entries ?? new Dictionary<string, TValue>())
        {
            if (string.IsNullOrWhiteSpace(key)) throw Invalid($"A {what} has an empty name.");
            sorted[key] = normalizeValue(key, value);
        }
        return sorted;
    }

    private static string NormalizeSha256(string file, string sha256)
    {
        var normalized = sha256?.Trim().ToLowerInvariant() ?? "";
        if (normalized.Length != 64 || !normalized.All(char.IsAsciiHexDigitLower))
            throw Invalid($"The data hash of '{file}' is '{sha256}', not a SHA-256 (64 hex digits).");
        return normalized;
    }

    private static double Finite(string what, double value) =>
        double.IsFinite(value) ? value : throw Invalid($"The {what} is {value}; only finite numbers can be recorded.");

    private static ModelRegistryException Invalid(string message) => new(ModelRegistryError.InvalidRequest, message);
}
