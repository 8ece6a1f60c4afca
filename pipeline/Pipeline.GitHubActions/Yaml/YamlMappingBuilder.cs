using YamlDotNet.RepresentationModel;

namespace Pipeline.GitHubActions.Yaml;

/// <summary>Builds a YamlDotNet mapping in insertion order, leaving out absent or empty values so optional fields need no ifs.</summary>
public sealed class YamlMappingBuilder
{
    private readonly YamlMappingNode _mapping = new();

    public YamlMappingBuilder Add(string key, YamlNode? value) =>
        value is null or YamlMappingNode { Children.Count: 0 } or YamlSequenceNode { Children.Count: 0 } ? this : AddAlways(key, value);

    public YamlMappingBuilder Add(string key, string? value) => value is null ? this : Add(key, YamlScalars.Text(value));

    /// <summary>Adds the entry even when its value is an empty mapping (e.g. <c>workflow_dispatch: {}</c>).</summary>
    public YamlMappingBuilder AddAlways(string key, YamlNode value)
    {
        var keyNode = YamlScalars.Key(key);
        if (_mapping.Children.ContainsKey(keyNode))
            throw new InvalidOperationException($"Duplicate YAML key '{key}'.");
        _mapping.Add(keyNode, value);
        return this;
    }

    public YamlMappingNode Build() => _mapping;
}
