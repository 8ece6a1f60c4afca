using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

/// <summary>
/// ONNX Runtime comes from the Microsoft.ML.OnnxRuntime package: its linux-x64 library sits next to the code that
/// loads it, with no other platform's natives, and nothing outside the package (no ONNXRUNTIME_LIBRARY) is needed.
/// </summary>
[Collection(OnnxRuntimeCollection.Name)]
public sealed class PackagingTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void The_runtime_is_the_pinned_package_version()
    {
        Assert.Equal("1.32.0", ort.Environment.Version);
    }

    [Fact]
    public void The_output_carries_the_linux_x64_library_and_no_other_platforms()
    {
        var output = AppContext.BaseDirectory;

        Assert.True(File.Exists(Path.Combine(output, "libonnxruntime.so")), $"{output} has no libonnxruntime.so");
        Assert.False(Directory.Exists(Path.Combine(output, "runtimes")), $"{output}runtimes/ holds other platforms' natives");
        Assert.Empty(Directory.GetFiles(output, "onnxruntime*.dll"));
        Assert.Empty(Directory.GetFiles(output, "*.dylib"));
    }

    [Fact]
    public void Every_handle_is_the_one_process_environment()
    {
        Assert.Same(ort.Environment.Runtime, new OrtEnvironment().Runtime);
    }
}
