using Pipeline.IO;
namespace Pipeline.Gates;

/// <summary>Writes and reads the report files of one Validate run, each written atomically.</summary>
public static class GateReportFiles
{
    public const string JsonFileName = "gates.json";
    public const string MarkdownFileName = "gates.md";

    /// <summary>Writes gates.json and gates.md into <paramref name="directory"/>; returns their full paths.</summary>
    public static async Task<(string JsonPath, string MarkdownPath)> WriteAsync(GateReport report, string directory,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var jsonPath = Path.GetFullPath(Path.Combine(directory, JsonFileName));
        var markdownPath = Path.GetFullPath(Path.Combine(directory, MarkdownFileName));
        await AtomicFile.WriteAllTextAsync(jsonPath, GateReportJson.Serialize(report), cancellationToken);
        await AtomicFile.WriteAllTextAsync(markdownPath, GateReportMarkdown.Render(report), cancellationToken);
        return (jsonPath, markdownPath);
    }

    public static async Task<GateReport> ReadJsonAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Gate report '{fullPath}' does not exist; run the Validate target to write it.", fullPath);
        return GateReportJson.Deserialize(await File.ReadAllTextAsync(fullPath, cancellationToken), fullPath);
    }
}
