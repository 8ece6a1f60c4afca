using Google.Protobuf;
using Pipeline.IO;
using Pipeline.Onnx.Protos;

namespace Pipeline.Onnx;

/// <summary>
/// Reads and writes .onnx files. Writes go to a temporary file in the target directory that is renamed over
/// the target, so readers see either the old complete file or the new complete file, never a partial one.
/// </summary>
public static class OnnxModelFile
{
    public static void WriteAtomically(ModelProto model, string path) =>
        AtomicFile.WriteAllBytes(path, Serialize(model, path));

    public static Task WriteAtomicallyAsync(ModelProto model, string path, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllBytesAsync(path, Serialize(model, path), cancellationToken);

    public static ModelProto Read(string path)
    {
        RequireExists(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    public static async Task<ModelProto> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        RequireExists(path);
        return Parse(await File.ReadAllBytesAsync(path, cancellationToken), path);
    }

    private static byte[] Serialize(ModelProto model, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new IOException($"Cannot write the ONNX model to '{path}': it is a directory. Give a file path such as '{Path.Combine(path, "model.onnx")}'.");
        OnnxModelValidator.Validate(model);
        return model.ToByteArray();
    }

    private static void RequireExists(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model file '{Path.GetFullPath(path)}' does not exist.", path);
    }

    private static ModelProto Parse(byte[] bytes, string path)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not an ONNX model: {e.Message}", e);
        }
        if (model.Graph is null || !model.HasIrVersion)
            throw new InvalidDataException($"'{path}' is not an ONNX model: it has no {(model.Graph is null ? "graph" : "ir_version")}.");
        return model;
    }
}
