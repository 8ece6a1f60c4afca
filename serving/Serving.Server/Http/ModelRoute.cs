using Microsoft.AspNetCore.Http;
using Serving.Server.Model;

namespace Serving.Server.Http;

/// <summary>Matches the {model} and optional {version} route values against the served model, or answers 404.</summary>
internal static class ModelRoute
{
    public const string ModelKey = "model";
    public const string VersionKey = "version";

    public static void Resolve(ServedModel model, HttpRequest request) =>
        ModelLookup.Resolve(model, request.RouteValues[ModelKey] as string, request.RouteValues[VersionKey] as string);

    /// <summary>The version segment of the URL, or null when the route has none.</summary>
    public static string? Version(HttpRequest request) => request.RouteValues[VersionKey] as string;
}
