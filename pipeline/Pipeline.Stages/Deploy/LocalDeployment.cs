using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.IO;

namespace Pipeline.Stages;

/// <summary>What the switch measured: from the edge change to the first answer of the new version through the edge, and
/// what the edge served for the model from the change until the old slot had drained (every request, and those that
/// failed with a 5xx), from its <c>show stat</c> counters before and after.</summary>
public sealed record SwitchMeasurement(double SwitchMilliseconds, long RequestsDuringSwitch, long FailedDuringSwitch);

/// <summary>What is deployed where after Deploy or Rollback: artifacts/deploy/local.json.</summary>
public sealed record LocalDeployment(
    string Action,
    string Environment,
    string Endpoint,
    string ModelName,
    string Version,
    string Sha256,
    string Image,
    string? Container,
    string? Color,
    string? ContainerAddress,
    string? PreviousVersion,
    DateTimeOffset Time,
    SwitchMeasurement? Switch)
{
    /// <summary>The analyses of a canary release, as a Markdown table; null for other strategies.</summary>
    public string? Canary { get; init; }

    /// <summary>What the synthetic traffic of a canary saw as a client.</summary>
    public AnalysisTrafficResult? Traffic { get; init; }

    public const string FileName = "local.json";
    public const string DeployedAction = "deployed";
    public const string RolledBackAction = "rolled back";
    public const string UnchangedAction = "unchanged";
    public const string DryRunAction = "dry run";

    public Task WriteAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        return AtomicFile.WriteAllTextAsync(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, StageJson.Options), cancellationToken);
    }

    public static async Task<LocalDeployment> ReadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<LocalDeployment>(stream, StageJson.Options, cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty.");
    }

    /// <summary>One line for the step summary.</summary>
    [JsonIgnore]
    public string SummaryLine => Action switch
    {
        UnchangedAction => $"`{Version}` was already serving on {Endpoint} ({Container}); nothing changed",
        DryRunAction => $"dry run: `{Version}` would serve on {Endpoint}; nothing changed",
        _ => $"{Action} `{Version}` on {Endpoint} ({Container}, {Color})" + (PreviousVersion is { } p ? $", replacing `{p}`" : "") +
             (Switch is { } s ? $"; switch {s.SwitchMilliseconds:F0} ms, {s.RequestsDuringSwitch} requests served during the switch, {s.FailedDuringSwitch} failed" : ""),
    };
}
