namespace Serving.Server.Model;

/// <summary>Matches the model name and optional version a request gives (URL or gRPC message) against the served model.</summary>
internal static class ModelLookup
{
    /// <param name="version">Null or empty: the request names no version, and the served one answers.</param>
    /// <exception cref="ServingException">NotFound, naming what this server serves.</exception>
    public static void Resolve(ServedModel model, string? name, string? version)
    {
        if (name != model.Name) throw ServingException.NotFound($"Unknown model '{name}'; this server serves '{model.Name}'.");
        if (!string.IsNullOrEmpty(version) && version != model.Version)
            throw ServingException.NotFound($"Model '{name}' has no version '{version}'; it serves version '{model.Version}'.");
    }
}
