using System.Runtime.InteropServices;
using Pipeline.OnnxRuntime.Native;

namespace Pipeline.OnnxRuntime;

/// <summary>
/// The loaded native ONNX Runtime library and its C API table. Load it once at start-up and pass it on.
/// A native library stays loaded for the life of the process: ORT keeps global state (thread pools, the
/// environment) that cannot safely be unloaded.
/// </summary>
public sealed unsafe class OnnxRuntimeLibrary
{
    /// <summary>The only ONNX Runtime release this binding was checked against.</summary>
    public const string ExpectedVersion = "1.30.0";

    /// <summary>Environment variable holding the full path of <c>libonnxruntime.so.1</c>; it overrides the default.</summary>
    public const string PathVariable = "ONNXRUNTIME_LIBRARY";

    /// <summary>
    /// The C API version requested from <c>OrtGetApiBase()->GetApi</c>. The table only grows, so any version that
    /// has the highest slot this binding calls (ModelMetadataGetGraphDescription) gives the same pointers; 1.30.0
    /// serves up to 30.
    /// </summary>
    public const uint ApiVersion = 23;

    private const string FileName = "libonnxruntime.so.1";

    private const string HowToFix =
        $"Run ./build.sh Setup to install ONNX Runtime {ExpectedVersion}, or set {PathVariable} to the full path of its {FileName}.";

    private OnnxRuntimeLibrary(string libraryPath, string version, OrtApi api)
    {
        LibraryPath = libraryPath;
        Version = version;
        Api = api;
    }

    public string LibraryPath { get; }

    /// <summary>What the library itself reports through <c>GetVersionString()</c>.</summary>
    public string Version { get; }

    internal OrtApi Api { get; }

    /// <summary>Loads from <paramref name="path"/>, else <c>$ONNXRUNTIME_LIBRARY</c>, else <see cref="DefaultPath"/>.</summary>
    public static OnnxRuntimeLibrary Load(string? path = null) => Load(path, Environment.GetEnvironmentVariable);

    /// <inheritdoc cref="Load(string?)"/>
    public static OnnxRuntimeLibrary Load(string? path, Func<string, string?> environment)
    {
        var (resolved, source) = Resolve(path, environment);
        if (!File.Exists(resolved))
        {
            throw new OnnxRuntimeLibraryException(resolved,
                $"ONNX Runtime {ExpectedVersion} was not found at '{resolved}' ({source}). {HowToFix}");
        }

        nint library;
        try
        {
            library = NativeLibrary.Load(resolved);
        }
        catch (DllNotFoundException e)
        {
            throw new OnnxRuntimeLibraryException(resolved,
                $"'{resolved}' ({source}) could not be loaded as a native library: {e.Message} {HowToFix}", e);
        }

        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            throw new OnnxRuntimeLibraryException(resolved,
                $"'{resolved}' ({source}) is not ONNX Runtime: it does not export OrtGetApiBase. {HowToFix}");
        }

        // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }.
        var apiBase = (nint*)((delegate* unmanaged<nint>)getApiBase)();
        var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)apiBase[1])()) ?? string.Empty;
        EnsureExpectedVersion(resolved, version);

        var table = ((delegate* unmanaged<uint, void*>)apiBase[0])(ApiVersion);
        if (table == null)
        {
            throw new OnnxRuntimeLibraryException(resolved,
                $"ONNX Runtime {version} at '{resolved}' does not serve C API version {ApiVersion}. {HowToFix}");
        }

        return new OnnxRuntimeLibrary(resolved, version, new OrtApi(table));
    }

    /// <summary>The path <see cref="Load(string?)"/> would use for these arguments.</summary>
    public static string ResolvePath(string? path, Func<string, string?> environment) => Resolve(path, environment).Path;

    /// <summary>
    /// Where <c>./build.sh Setup</c> installs the library:
    /// <c>${XDG_CACHE_HOME:-$HOME/.cache}/mlops-pipeline/onnxruntime/1.30.0/linux-x64/libonnxruntime.so.1</c>.
    /// </summary>
    public static string DefaultPath(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var cache = environment("XDG_CACHE_HOME");
        // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        if (string.IsNullOrEmpty(cache) || !System.IO.Path.IsPathRooted(cache))
        {
            var home = environment("HOME");
            if (string.IsNullOrEmpty(home))
            {
                throw new InvalidOperationException(
                    $"Neither XDG_CACHE_HOME nor HOME is set, so the default ONNX Runtime location is unknown. Set {PathVariable} to the full path of {FileName}.");
            }

            cache = System.IO.Path.Combine(home, ".cache");
        }

        return System.IO.Path.Combine(cache, "mlops-pipeline", "onnxruntime", ExpectedVersion, "linux-x64", FileName);
    }

    /// <summary>Throws unless <paramref name="actualVersion"/> is <see cref="ExpectedVersion"/>.</summary>
    public static void EnsureExpectedVersion(string libraryPath, string actualVersion)
    {
        if (actualVersion != ExpectedVersion)
        {
            throw new OnnxRuntimeLibraryException(libraryPath,
                $"ONNX Runtime at '{libraryPath}' is version '{actualVersion}', but this pipeline needs {ExpectedVersion}. {HowToFix}");
        }
    }

    private static (string Path, string Source) Resolve(string? path, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrEmpty(path))
        {
            return (path, "the path given by the caller");
        }

        var fromEnvironment = environment(PathVariable);
        return string.IsNullOrEmpty(fromEnvironment)
            ? (DefaultPath(environment), "the default install location")
            : (fromEnvironment, $"from {PathVariable}");
    }
}
