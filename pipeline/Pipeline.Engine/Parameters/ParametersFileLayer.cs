using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>The values of one parameters file: <c>.nuke/parameters.json</c> (no profile) or <c>.nuke/parameters.NAME.json</c>.</summary>
internal sealed record ParametersFileLayer(string? Profile, IReadOnlyDictionary<string, JsonElement> Values)
{
    public ParameterSource Source => ParameterSource.FromFile(Profile);

    public string FileName => Source.FileName!;
}
