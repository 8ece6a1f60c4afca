namespace Pipeline.GitHubActions.Yaml;

/// <summary>A YAML document tree with the order of mapping entries kept exactly as built, so output is deterministic.</summary>
public abstract record YamlNode;

/// <summary>
/// A scalar. Text scalars are quoted by the writer when a YAML reader could take them for something else;
/// <see cref="Raw"/> scalars (numbers, booleans) are written as they are.
/// </summary>
public sealed record YamlScalar(string Value, bool Raw = false, string? Comment = null) : YamlNode
{
    public static YamlScalar Text(string value, string? comment = null) => new(value, Raw: false, comment);

    public static YamlScalar Number(int value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), Raw: true);

    public static YamlScalar Boolean(bool value) => new(value ? "true" : "false", Raw: true);
}

public sealed record YamlSequence(IReadOnlyList<YamlNode> Items) : YamlNode;

/// <summary>Entries in insertion order; <see cref="Spaced"/> puts a blank line between entries (jobs, for readers).</summary>
public sealed record YamlMapping(IReadOnlyList<KeyValuePair<string, YamlNode>> Entries, bool Spaced = false) : YamlNode;

/// <summary>Builds a <see cref="YamlMapping"/>, leaving out entries whose value is absent, so optional fields need no ifs.</summary>
public sealed class YamlMappingBuilder
{
    private readonly List<KeyValuePair<string, YamlNode>> _entries = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public YamlMappingBuilder Add(string key, YamlNode? value)
    {
        if (value is null || value is YamlMapping { Entries.Count: 0 } || value is YamlSequence { Items.Count: 0 })
            return this;
        if (!_keys.Add(key))
            throw new InvalidOperationException($"Duplicate YAML key '{key}'.");
        _entries.Add(new(key, value));
        return this;
    }

    /// <summary>Adds the entry even when its value is an empty mapping (e.g. <c>workflow_dispatch: {}</c>).</summary>
    public YamlMappingBuilder AddAlways(string key, YamlNode value)
    {
        if (!_keys.Add(key))
            throw new InvalidOperationException($"Duplicate YAML key '{key}'.");
        _entries.Add(new(key, value));
        return this;
    }

    public YamlMappingBuilder Add(string key, string? value) => value is null ? this : Add(key, YamlScalar.Text(value));

    public YamlMapping Build(bool spaced = false) => new(_entries.ToArray(), spaced);
}
