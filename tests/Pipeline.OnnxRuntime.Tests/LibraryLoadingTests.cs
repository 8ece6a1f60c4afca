using Pipeline.OnnxRuntime.Tests.Support;

namespace Pipeline.OnnxRuntime.Tests;

[Collection(OnnxRuntimeCollection.Name)]
public sealed class LibraryLoadingTests(OnnxRuntimeFixture ort)
{
    [Fact]
    public void The_loaded_library_reports_the_expected_version()
    {
        Assert.Equal("1.30.0", OnnxRuntimeLibrary.ExpectedVersion);
        Assert.Equal(OnnxRuntimeLibrary.ExpectedVersion, ort.Library.Version);
        Assert.True(File.Exists(ort.Library.LibraryPath));
    }

    [Fact]
    public void Loading_the_same_library_again_gives_a_working_binding()
    {
        var again = OnnxRuntimeLibrary.Load(ort.Library.LibraryPath);

        Assert.Equal(ort.Library.Version, again.Version);
        using var environment = new OrtEnvironment(again, OrtLoggingLevel.Error);
        using var session = new InferenceSession(environment, TestModels.Linear());
        Assert.Equal("x", session.Inputs.Single().Name);
    }

    [Fact]
    public void A_missing_library_names_the_path_and_how_to_install_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-ort-{Guid.NewGuid():N}", "libonnxruntime.so.1");

        var error = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Load(missing));

        Assert.Equal(missing, error.LibraryPath);
        Assert.Contains(missing, error.Message);
        Assert.Contains("./build.sh Setup", error.Message);
        Assert.Contains("ONNXRUNTIME_LIBRARY", error.Message);
    }

    [Fact]
    public void The_environment_variable_is_used_when_no_path_is_given()
    {
        var fromVariable = Path.Combine(Path.GetTempPath(), $"no-ort-{Guid.NewGuid():N}.so");
        string? Environment(string name) => name == OnnxRuntimeLibrary.PathVariable ? fromVariable : "/home/someone";

        Assert.Equal(fromVariable, OnnxRuntimeLibrary.ResolvePath(null, Environment));
        var error = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Load(null, Environment));
        Assert.Contains(fromVariable, error.Message);
        Assert.Contains(OnnxRuntimeLibrary.PathVariable, error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_shared_library_is_rejected_with_its_path()
    {
        var directory = Directory.CreateTempSubdirectory("not-ort-");
        try
        {
            var path = Path.Combine(directory.FullName, "libonnxruntime.so.1");
            File.WriteAllText(path, "this is not an ELF file");

            var error = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Load(path));

            Assert.Contains(path, error.Message);
            Assert.Contains("./build.sh Setup", error.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_real_shared_library_that_is_not_onnx_runtime_is_rejected()
    {
        // libz ships with every Debian system; it loads fine but has no OrtGetApiBase.
        var libz = new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1" }.First(File.Exists);

        var error = Assert.Throws<OnnxRuntimeLibraryException>(() => OnnxRuntimeLibrary.Load(libz));

        Assert.Contains("OrtGetApiBase", error.Message);
        Assert.Contains(libz, error.Message);
    }

    [Fact]
    public void Another_version_is_refused_with_both_versions_in_the_message()
    {
        var error = Assert.Throws<OnnxRuntimeLibraryException>(
            () => OnnxRuntimeLibrary.EnsureExpectedVersion("/opt/ort/libonnxruntime.so.1", "1.29.1"));

        Assert.Contains("1.29.1", error.Message);
        Assert.Contains("1.30.0", error.Message);
        Assert.Contains("/opt/ort/libonnxruntime.so.1", error.Message);
        Assert.Contains("./build.sh Setup", error.Message);
        OnnxRuntimeLibrary.EnsureExpectedVersion("/opt/ort/libonnxruntime.so.1", OnnxRuntimeLibrary.ExpectedVersion);
    }

    [Theory]
    [InlineData("/cache", "/home/u", "/cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1")]
    [InlineData(null, "/home/u", "/home/u/.cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1")]
    [InlineData("", "/home/u", "/home/u/.cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1")]
    [InlineData("relative/cache", "/home/u", "/home/u/.cache/mlops-pipeline/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1")]
    public void The_default_path_follows_the_xdg_cache_convention(string? xdgCacheHome, string home, string expected)
    {
        string? Environment(string name) => name switch
        {
            "XDG_CACHE_HOME" => xdgCacheHome,
            "HOME" => home,
            _ => null,
        };

        Assert.Equal(expected, OnnxRuntimeLibrary.DefaultPath(Environment));
        Assert.Equal(expected, OnnxRuntimeLibrary.ResolvePath(null, Environment));
        Assert.Equal("/explicit.so", OnnxRuntimeLibrary.ResolvePath("/explicit.so", Environment));
    }

    [Fact]
    public void Without_home_or_xdg_cache_the_default_path_asks_for_the_variable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => OnnxRuntimeLibrary.DefaultPath(_ => null));

        Assert.Contains(OnnxRuntimeLibrary.PathVariable, error.Message);
    }
}
