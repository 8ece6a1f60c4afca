using Pipeline.OnnxRuntime;

namespace Pipeline.Gates.Tests.Support;

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
    // Sequential, so one test's latency runs never compete with another's for the two cores.
    public const string Name = "ONNX Runtime";
}
