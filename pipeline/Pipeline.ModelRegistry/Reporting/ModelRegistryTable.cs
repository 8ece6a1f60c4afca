using System.Globalization;
using System.Text;

namespace Pipeline.ModelRegistry.Reporting;

/// <summary>The registry as Markdown tables for <c>./build.sh Models</c>: each version with its key metrics, gate
/// verdict and the environments running it, then each environment's production version and last change.</summary>
public static class ModelRegistryTable
{
    private const string None = "-";

    /// <param name="versions">The versions to list, in the order given (newest first from <see cref="IModelRegistry.ListVersionsAsync"/>).</param>
    /// <param name="environments">The environments, from <see cref="IModelRegistry.ListEnvironmentsAsync"/>.</param>
    /// <param name="metricNames">The metric columns; <c>null</c> shows every metric any listed version has, by name.</param>
    public static string Render(IReadOnlyList<ModelVersion> versions, IReadOnlyList<EnvironmentState> environments, IReadOnlyList<string>? metricNames = null)
    {
        var output = new StringBuilder();
        output.AppendLine("## Model versions").AppendLine();
        if (versions.Count == 0) output.AppendLine("No model versions are registered yet.");
        else VersionTable(versions, environments, metricNames).WriteTo(output);

        output.AppendLine().AppendLine("## Environments").AppendLine();
        if (environments.Count == 0) output.AppendLine("No version has been promoted to any environment yet.");
        else EnvironmentTable(environments).WriteTo(output);
        return output.ToString();
    }

    private static MarkdownTable VersionTable(IReadOnlyList<ModelVersion> versions, IReadOnlyList<EnvironmentState> environments, IReadOnlyList<string>? metricNames)
    {
        var metrics = metricNames ?? versions.SelectMany(v => v.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        var table = new MarkdownTable(["version", "model", "created (UTC)", .. metrics, "gates", "labels", "sha256", "in production"]);
        foreach (var version in versions)
        {
            var runningIn = environments.Where(e => e.ProductionVersion == version.VersionId).Select(e => e.Target.ToString()).ToArray();
            table.AddRow([
                version.VersionId,
                version.ModelName,
                Time(version.CreatedAt),
                .. metrics.Select(name => version.Metrics.TryGetValue(name, out var value) ? Number(value) : None),
                Gates(version),
                version.Labels.Count == 0 ? None : string.Join(", ", version.Labels.Select(l => $"{l.Key}={l.Value}")),
                version.Sha256[..12],
                runningIn.Length == 0 ? None : string.Join(", ", runningIn),
            ]);
        }
        return table;
    }

    private static MarkdownTable EnvironmentTable(IReadOnlyList<EnvironmentState> environments)
    {
        var table = new MarkdownTable(["environment", "production", "since (UTC)", "releases", "last change"]);
        foreach (var environment in environments)
        {
            var last = environment.History.LastOrDefault();
            table.AddRow(
                environment.Target.ToString(),
                environment.ProductionVersion ?? None,
                last is null ? None : Time(last.Time),
                environment.History.Count.ToString(CultureInfo.InvariantCulture),
                last is null ? None : LastChange(last));
        }
        return table;
    }

    private static string Gates(ModelVersion version)
    {
        if (version.Gates.Count == 0) return "none recorded (not deployable)";
        var failed = version.FailedGates.Select(g => g.Gate).ToArray();
        return failed.Length == 0
            ? $"passed {version.Gates.Count}/{version.Gates.Count}"
            : $"FAILED {failed.Length}/{version.Gates.Count}: {string.Join(", ", failed)}";
    }

    private static string LastChange(ReleaseEvent change)
    {
        var from = change.PreviousVersion is null ? "" : $" from {change.PreviousVersion}";
        return $"{change.Kind}{from}: {change.Reason}";
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
