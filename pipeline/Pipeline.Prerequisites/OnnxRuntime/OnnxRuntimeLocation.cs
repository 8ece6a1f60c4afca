namespace Pipeline.Prerequisites;

/// <summary>Where the project looks for the ONNX Runtime native library.</summary>
public static class OnnxRuntimeLocation
{
    /// <summary>Full path to a libonnxruntime.so; when set, it overrides the default location everywhere.</summary>
    public const string OverrideVariable = "ONNXRUNTIME_LIBRARY";

    /// <summary>
    /// ${XDG_CACHE_HOME:-$HOME/.cache}/mlops-pipeline/onnxruntime/{version}/{rid}. A relative
    /// XDG_CACHE_HOME is ignored, as the XDG base directory specification requires.
    /// </summary>
    public static string DefaultDirectory(OnnxRuntimePin pin, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(pin);
        ArgumentNullException.ThrowIfNull(environment);
        var xdgCache = environment("XDG_CACHE_HOME");
        string cacheHome;
        if (!string.IsNullOrEmpty(xdgCache) && Path.IsPathRooted(xdgCache))
        {
            cacheHome = xdgCache;
        }
        else
        {
            var home = environment("HOME");
            if (string.IsNullOrEmpty(home))
            {
                throw new PrerequisiteException("ONNX Runtime",
                    "Neither XDG_CACHE_HOME nor HOME is set, so there is no cache directory for the ONNX Runtime library: " +
                    $"set XDG_CACHE_HOME, or set {OverrideVariable} to an existing libonnxruntime.so.1");
            }

            cacheHome = Path.Combine(home, ".cache");
        }

        return Path.Combine(cacheHome, "mlops-pipeline", "onnxruntime", pin.Version, pin.RuntimeIdentifier);
    }

    /// <summary>The library path the project uses: the override when set, else the default install path.</summary>
    public static string LibraryPath(OnnxRuntimePin pin, Func<string, string?> environment)
    {
        var overridden = environment(OverrideVariable);
        return string.IsNullOrEmpty(overridden)
            ? Path.Combine(DefaultDirectory(pin, environment), pin.LibraryFileName)
            : overridden;
    }
}
