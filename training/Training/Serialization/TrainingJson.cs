using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.IO;
using Training.Metrics;

namespace Training.Serialization;

/// <summary>The JSON conventions of training artifacts: camelCase, enums as strings, indented.</summary>
public static class TrainingJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new JsonStringEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static Task WriteMetricsAsync(string path, TrainingMetricsDocument document, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(path, (stream, ct) => JsonSerializer.SerializeAsync(stream, document, Options, ct), cancellationToken);

    public static async Task<TrainingMetricsDocument> ReadMetricsAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        TrainingMetricsDocument? document;
        try { document = await JsonSerializer.DeserializeAsync<TrainingMetricsDocument>(stream, Options, cancellationToken); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid metrics document ({e.Message}).", e); }
        if (document is null) throw new InvalidDataException($"{path}: the metrics document is null.");
        if (document.SchemaVersion != TrainingMetricsDocument.CurrentSchemaVersion)
            throw new InvalidDataException($"{path}: metrics schema version {document.SchemaVersion}; this build reads version {TrainingMetricsDocument.CurrentSchemaVersion}.");
        return document;
    }
}
