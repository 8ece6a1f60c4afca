using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Pipeline.ModelRegistry.Storage;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ModelVersion))]
[JsonSerializable(typeof(EnvironmentState))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;

/// <summary>Record files: indented JSON objects whose first property is <c>schemaVersion</c>, so a future layout can
/// be recognised and an older registry library refuses what it cannot read instead of misreading it.</summary>
internal static class RegistryJson
{
    public const int SchemaVersion = 1;
    private const string SchemaVersionProperty = "schemaVersion";

    // Records are files for people and tools, never embedded in HTML: keep '+' in version ids and times readable.
    private static readonly JavaScriptEncoder ReadableEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes a record atomically: temp file, flush to disk, rename.</summary>
    public static async Task WriteAsync<T>(
        string path, T record, JsonTypeInfo<T> typeInfo, bool overwrite, Action<string>? beforeCommit, CancellationToken cancellationToken)
    {
        await using var file = TemporaryFile.Create(Path.GetDirectoryName(path)!, Path.GetFileName(path), beforeCommit);
        await file.Stream.WriteAsync(Serialize(record, typeInfo), cancellationToken);
        await file.CommitAsync(path, overwrite);
    }

    /// <summary>Reads the record file named for <paramref name="name"/>, or returns null when there is none; a file
    /// holding another name's record was renamed or copied by hand and is refused.</summary>
    public static async Task<T?> ReadNamedAsync<T>(
        string path, JsonTypeInfo<T> typeInfo, string name, Func<T, string> nameOf, CancellationToken cancellationToken)
        where T : class
    {
        var record = await ReadAsync(path, typeInfo, cancellationToken);
        if (record is not null && nameOf(record) != name)
        {
            throw new ModelRegistryException(ModelRegistryError.CorruptRecord,
                $"The registry record '{path}' holds '{nameOf(record)}', not '{name}'; it was renamed or copied by hand. " +
                "Restore the registry directory from a backup.");
        }
        return record;
    }

    private static byte[] Serialize<T>(T record, JsonTypeInfo<T> typeInfo)
    {
        var properties = JsonSerializer.SerializeToNode(record, typeInfo)!.AsObject();
        var document = new JsonObject { [SchemaVersionProperty] = SchemaVersion };
        foreach (var (name, value) in properties.ToList())
        {
            properties.Remove(name);
            document[name] = value;
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = ReadableEncoder }))
        {
            document.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<T?> ReadAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            CheckSchemaVersion(path, document.RootElement);
            return document.RootElement.Deserialize(typeInfo) ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ModelRegistryException(ModelRegistryError.CorruptRecord,
                $"The registry record '{path}' is not valid: {e.Message} Records are only ever written whole, so it was " +
                "edited or damaged outside the registry; restore it from a backup.", e);
        }
    }

    private static void CheckSchemaVersion(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object ||
            !root.TryGetProperty(SchemaVersionProperty, out var property) ||
            !property.TryGetInt32(out var schemaVersion))
        {
            throw new JsonException($"it has no integer '{SchemaVersionProperty}'.");
        }
        if (schemaVersion > SchemaVersion)
        {
            throw new ModelRegistryException(ModelRegistryError.UnsupportedSchema,
                $"The registry record '{path}' has schema version {schemaVersion}, newer than the {SchemaVersion} this " +
                "library reads. Update the pipeline to the version that wrote it.");
        }
    }
}
