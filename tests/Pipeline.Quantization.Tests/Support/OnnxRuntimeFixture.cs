using Pipeline.OnnxRuntime;

namespace Pipeline.Quantization.Tests.Support;

/// <summary>
/// A handle to ORT's process-wide environment (the Microsoft.ML.OnnxRuntime package brings the library), shared by the run.
/// </summary>
public sealed class OnnxRuntimeFixture
{
    public OrtEnvironment Environment { get; } = new();
}

[CollectionDefinition(Name)]
public sealed class OnnxRuntimeCollection : ICollectionFixture<OnnxRuntimeFixture>
{
    public const string Name = "ONNX Runtime";
}
