using Pipeline.OnnxRuntime;

namespace Pipeline.Gates.Tests.Support;

/// <summary>
/// One ONNX Runtime environment for the whole test run, as ORT allows only one per process. A missing library fails
/// the tests with the loader's own instructions (./build.sh Setup, or set ONNXRUNTIME_LIBRARY).
/// </summary>
public sealed class OnnxRuntimeFixture : IDisposable
{
    public OrtEnvironment Environment { get; } = new(OnnxRuntimeLibrary.Load(), OrtLoggingLevel.Error, "gates-tests");

    public void Dispose() => Environment.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OnnxRuntimeCollection : ICollectionFixture<OnnxRuntimeFixture>
{
    // Sequential, so one test's latency runs never compete with another's for the two cores.
    public const string Name = "ONNX Runtime";
}
