namespace Pipeline.OnnxRuntime.Tests.Support;

/// <summary>A handle to ORT's process-wide environment for the whole test run; the package brings the library.</summary>
public sealed class OnnxRuntimeFixture
{
    public OrtEnvironment Environment { get; } = new();
}

[CollectionDefinition(Name)]
public sealed class OnnxRuntimeCollection : ICollectionFixture<OnnxRuntimeFixture>
{
    // Every test shares the process-wide environment, and running them one after another keeps the memory test's
    // measurement free of other tests' allocations.
    public const string Name = "ONNX Runtime";
}
