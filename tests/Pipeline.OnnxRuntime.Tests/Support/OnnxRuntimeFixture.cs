namespace Pipeline.OnnxRuntime.Tests.Support;

/// <summary>
/// One library and one environment for the whole test run, as ORT requires. Loading fails the tests (never skips
/// them) with the library's own instructions when ONNX Runtime is missing.
/// </summary>
public sealed class OnnxRuntimeFixture : IDisposable
{
    public OnnxRuntimeFixture()
    {
        Library = OnnxRuntimeLibrary.Load();
        Environment = new OrtEnvironment(Library, OrtLoggingLevel.Error, "pipeline-tests");
    }

    public OnnxRuntimeLibrary Library { get; }

    public OrtEnvironment Environment { get; }

    public void Dispose() => Environment.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OnnxRuntimeCollection : ICollectionFixture<OnnxRuntimeFixture>
{
    // Every test shares the process-wide environment, and running them one after another keeps the memory test's
    // measurement free of other tests' allocations.
    public const string Name = "ONNX Runtime";
}
