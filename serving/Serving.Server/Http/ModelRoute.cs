using Microsoft.AspNetCore.Http;
using Serving.Server.Model;

namespace Serving.Server.Http;

/// <summary>Matches the {model} and optional {version} route values against the served model, or answers 404.</summary>
internal static class ModelRoute
{
    public const string ModelKey = "model";
    public const string VersionKey = "version";

    public static void Resolve(ServedModel model, HttpRequest request)
    {
        var name = request.RouteValues[ModelKey] as string;
        if (name != model.Name) throw ServingException.NotFound($"Unknown model '{name}'; this server serves '{model.Name}'.");
        if (request.RouteValues[VersionKey] is string version && version != model.Version)
            throw ServingException.NotFound($"Model '{name}' has no version '{version}'; it serves version '{model.Version}'.");
    }
}
