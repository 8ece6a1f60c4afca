using System.Security.Cryptography;
using Pipeline.OnnxRuntime;
using SessionOptions = Pipeline.OnnxRuntime.SessionOptions;
using Serving.Server.Configuration;
using Serving.Server.Hosting;

namespace Serving.Server.Model;

/// <summary>
/// Reads the model file once, checks its SHA-256 when one is expected, and opens the session from those same
/// bytes, so the model that runs is exactly the model that was checked. Then checks the interface is one the
/// server can batch: tensors of a served datatype (FP32, FP64, INT32, INT64, BOOL, BYTES), each with a variable
/// first dimension and fixed others.
/// </summary>
internal static class ModelLoader
{
    public const string VersionMetadataKey = "model_version";

    public static ServedModel Load(ServerOptions options, OrtEnvironment environment)
    {
        var path = Path.GetFullPath(options.ModelPath);
        var bytes = ReadModelFile(path);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (options.ModelSha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ServerStartupException(
                $"Model file '{path}' has SHA-256 {sha256}, but {expected.ToLowerInvariant()} is expected " +
                "(--model-sha256 / SERVING_MODEL_SHA256). It is not the approved model; refusing to start.");
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(environment, (ReadOnlyMemory<byte>)bytes, new SessionOptions
            {
                IntraOpThreads = options.IntraOpThreads,
                InterOpThreads = 1,
                // Spinning threads would steal the cores Kestrel needs between requests.
                AllowSpinning = false,
            });
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw new ServerStartupException($"ONNX Runtime cannot load the model '{path}': {e.Message}", e);
        }

        try
        {
            var problems = new List<string>();
            var inputs = Describe(session.Inputs, isInput: true, problems);
            var outputs = Describe(session.Outputs, isInput: false, problems);
            var maxRows = options.DynamicBatching ? Math.Max(options.MaxBatchSize, options.DynamicBatchMaxSize) : options.MaxBatchSize;
            foreach (var spec in inputs.Concat(outputs))
            {
                if ((long)maxRows * spec.RowElementCount > Array.MaxLength / 8)
                    problems.Add($"'{spec.Name}' would need {(long)maxRows * spec.RowElementCount} elements for {maxRows} rows; lower the max batch size.");
            }

            if (problems.Count > 0)
                throw new ServerStartupException($"Model '{path}' cannot be served:\n  - " + string.Join("\n  - ", problems));

            var version = options.ModelVersion
                ?? (session.ModelMetadata.CustomMetadata.TryGetValue(VersionMetadataKey, out var v) && IsUsableVersion(v) ? v : "1");
            var classNames = ClassNamesMetadata.Read(session.ModelMetadata.CustomMetadata, path);
            return new ServedModel(options.ModelName, version, sha256, session, inputs, outputs, classNames);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static byte[] ReadModelFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"Cannot read the model file '{path}' (--model-path / SERVING_MODEL_PATH): {e.Message}", e);
        }
    }

    private static bool IsUsableVersion(string version) => version.Length > 0 && !version.Contains('/');

    private static TensorSpec[] Describe(IReadOnlyList<NodeMetadata> nodes, bool isInput, List<string> problems)
    {
        var kind = isInput ? "input" : "output";
        var specs = new List<TensorSpec>(nodes.Count);
        foreach (var node in nodes)
        {
            var shape = node.Shape.ToArray();
            if (node.Kind != OnnxValueKind.Tensor)
                problems.Add($"{kind} '{node.Name}' is a {node.Kind}, not a tensor.");
            else if (!TensorDatatypes.IsServed(node.ElementType))
                problems.Add($"{kind} '{node.Name}' is {TensorDatatypes.ToDatatype(node.ElementType)}; the server serves {TensorDatatypes.ServedList} only (cast it in the model).");
            else if (shape.Length == 0 || shape[0] != -1 || shape.Skip(1).Any(d => d < 1))
                problems.Add($"{kind} '{node.Name}' has shape [{string.Join(", ", shape)}]; the server needs a variable batch dimension first and fixed sizes after, such as [-1, 784].");
            else
                specs.Add(new TensorSpec(node.Name, node.ElementType, shape));
        }

        if (isInput && nodes.Count == 0) problems.Add("the model has no inputs.");
        if (!isInput && nodes.Count == 0) problems.Add("the model has no outputs.");
        return specs.ToArray();
    }
}
