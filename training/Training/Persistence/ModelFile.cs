using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.IO;
using Training.Models;
using Training.Serialization;

namespace Training.Persistence;

/// <summary>A saved model is unreadable: not a model file, an unsupported version, damaged or inconsistent.</summary>
public sealed class ModelFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A model read back from disk with the record of how it was trained.</summary>
public sealed record SavedModel(MlpModel Model, TrainingRecord Record);

/// <summary>
/// The trained-model file (.mlp). Layout, all integers little-endian:
/// <code>
///   8 bytes   magic "MLPMODEL"
///   4 bytes   format version (1)
///   4 bytes   metadata length L
///   L bytes   metadata, UTF-8 JSON: { "classNames": [...], "inputSize": n, "layers": [{ "inputSize", "outputSize", "activation" }], "record": TrainingRecord }
///   float32s  normalizer mean[n], inverseStd[n], then per layer weights[in*out] (row-major [in, out]) and bias[out]
///   32 bytes  SHA-256 of everything above
/// </code>
/// Written atomically (temporary file, then rename). The content is a pure function of the model and its record,
/// so identical training gives identical files.
/// </summary>
public static class ModelFile
{
    public const string Extension = ".mlp";
    public const int FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "MLPMODEL"u8;
    private const int HeaderLength = 16;
    private const int ChecksumLength = 32;

    private sealed record LayerShape(int InputSize, int OutputSize, Activation Activation);
    private sealed record Metadata(IReadOnlyList<string> ClassNames, int InputSize, IReadOnlyList<LayerShape> Layers, TrainingRecord Record);

    public static Task SaveAsync(string path, MlpModel model, TrainingRecord record, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllBytesAsync(path, Serialize(model, record), cancellationToken);

    public static async Task<SavedModel> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file not found (train one first).", path);
        return Deserialize(path, await File.ReadAllBytesAsync(path, cancellationToken));
    }

    public static byte[] Serialize(MlpModel model, TrainingRecord record)
    {
        var metadata = JsonSerializer.SerializeToUtf8Bytes(new Metadata(
            model.ClassNames, model.InputSize,
            model.Layers.Select(l => new LayerShape(l.InputSize, l.OutputSize, l.Activation)).ToArray(), record), TrainingJson.Options);
        var floats = FloatCount(model.InputSize, model.Layers.Select(l => (l.InputSize, l.OutputSize)));
        var bytes = new byte[HeaderLength + metadata.Length + floats * sizeof(float) + ChecksumLength];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), metadata.Length);
        metadata.CopyTo(bytes, HeaderLength);
        var writer = new FloatWriter(bytes.AsSpan(HeaderLength + metadata.Length));
        writer.Write(model.Normalizer.Mean);
        writer.Write(model.Normalizer.InverseStd);
        foreach (var layer in model.Layers)
        {
            writer.Write(layer.Weights);
            writer.Write(layer.Bias);
        }
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - ChecksumLength), bytes.AsSpan(bytes.Length - ChecksumLength));
        return bytes;
    }

    /// <summary>Reads a model from file content; <paramref name="path"/> names it in errors.</summary>
    public static SavedModel Deserialize(string path, ReadOnlySpan<byte> bytes)
    {
        var name = Path.GetFileName(path);
        if (bytes.Length < HeaderLength + ChecksumLength || !bytes[..8].SequenceEqual(Magic))
            throw new ModelFormatException($"{name}: not a model file (it does not start with the MLPMODEL header).");
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (version != FormatVersion)
            throw new ModelFormatException($"{name}: model format version {version}; this build reads version {FormatVersion} (retrain, or use the matching build).");
        var expectedHash = bytes[^ChecksumLength..];
        if (!SHA256.HashData(bytes[..^ChecksumLength]).AsSpan().SequenceEqual(expectedHash))
            throw new ModelFormatException($"{name}: checksum mismatch; the file is truncated or damaged (retrain or restore it).");
        var metadataLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        if (metadataLength <= 0 || metadataLength > bytes.Length - HeaderLength - ChecksumLength)
            throw new ModelFormatException($"{name}: metadata length {metadataLength} does not fit the {bytes.Length}-byte file.");

        var metadata = ReadMetadata(name, bytes.Slice(HeaderLength, metadataLength));
        var payload = bytes[(HeaderLength + metadataLength)..^ChecksumLength];
        var shapes = metadata.Layers.Select(l => (l.InputSize, l.OutputSize)).ToArray();
        var floats = FloatCount(metadata.InputSize, shapes);
        if (payload.Length != floats * sizeof(float))
            throw new ModelFormatException($"{name}: the layer shapes need {floats} parameters ({floats * sizeof(float)} bytes) but the file holds {payload.Length} bytes of them.");

        var reader = new FloatReader(payload, name);
        try
        {
            var normalizer = new FeatureNormalizer(reader.Read(metadata.InputSize, "normalizer mean"), reader.Read(metadata.InputSize, "normalizer inverse std"));
            var layers = new DenseLayer[metadata.Layers.Count];
            for (var i = 0; i < layers.Length; i++)
            {
                var l = metadata.Layers[i];
                var weights = reader.Read(l.InputSize * l.OutputSize, $"layer {i} weights");
                layers[i] = new DenseLayer(l.InputSize, l.OutputSize, weights, reader.Read(l.OutputSize, $"layer {i} bias"), l.Activation);
            }
            return new SavedModel(new MlpModel(normalizer, layers, metadata.ClassNames), metadata.Record);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{name}: inconsistent model: {e.Message}", e);
        }
    }

    private static Metadata ReadMetadata(string name, ReadOnlySpan<byte> json)
    {
        Metadata? metadata;
        try { metadata = JsonSerializer.Deserialize<Metadata>(json, TrainingJson.Options); }
        catch (JsonException e) { throw new ModelFormatException($"{name}: unreadable metadata ({e.Message}).", e); }
        if (metadata?.ClassNames is null || metadata.Layers is null || metadata.Record is null || metadata.Layers.Count == 0)
            throw new ModelFormatException($"{name}: metadata lacks class names, layers or the training record.");
        if (metadata.InputSize <= 0 || metadata.Layers.Any(l => l.InputSize <= 0 || l.OutputSize <= 0))
            throw new ModelFormatException($"{name}: metadata declares a non-positive layer size.");
        return metadata;
    }

    private static long FloatCount(int inputSize, IEnumerable<(int In, int Out)> layers) =>
        2L * inputSize + layers.Sum(l => (long)l.In * l.Out + l.Out);

    private ref struct FloatWriter(Span<byte> target)
    {
        private Span<byte> _target = target;

        public void Write(ReadOnlySpan<float> values)
        {
            foreach (var value in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(_target, value);
                _target = _target[sizeof(float)..];
            }
        }
    }

    private ref struct FloatReader(ReadOnlySpan<byte> source, string name)
    {
        private ReadOnlySpan<byte> _source = source;

        public float[] Read(int count, string what)
        {
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(_source);
                _source = _source[sizeof(float)..];
                if (!float.IsFinite(values[i]))
                    throw new ModelFormatException($"{name}: {what} value {i} is {values[i]}; a usable model has only finite parameters.");
            }
            return values;
        }
    }
}
