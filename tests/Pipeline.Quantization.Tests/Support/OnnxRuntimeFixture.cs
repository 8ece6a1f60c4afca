using Pipeline.OnnxRuntime;

namespace Pipeline.Quantization.Tests.Support;

/// <summary>
/// One ONNX Runtime library and environment for the whole test run, as ORT allows only one environment per process.
/// A missing library fails the tests with the loader's own instructions (./build.sh Setup or ONNXRUNTIME_LIBRARY).
/// </summary>
public sealed class OnnxRuntimeFixture : IDisposable
{
    public OnnxRuntimeFixture()
    {
        Environment = new OrtEnvironment(OnnxRuntimeLibrary.Load(), OrtLoggingLevel.Error, "quantization-tests");
    }

    public OrtEnvironment Environment { get; }

    public void Dispose() => Environment.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OnnxRuntimeCollection : ICollectionFixture<OnnxRuntimeFixture>
{
    public const string Name = "ONNX Runtime";
}
