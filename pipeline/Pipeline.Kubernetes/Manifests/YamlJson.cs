using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Pipeline.Kubernetes.Manifests;

/// <summary>
/// YAML to and from JSON trees, with the YAML 1.2 core schema for plain scalars (true, 3, null stay typed; quoted
/// scalars stay strings), which is how kubectl and the API server read YAML.
/// </summary>
public static class YamlJson
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    public static string ToYaml(JsonNode? node) => Serializer.Serialize(ToPlain(node));

    /// <summary>Every document of a (multi-document) YAML text; empty documents are skipped.</summary>
    public static IReadOnlyList<JsonNode?> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => ToJson(d.RootNode)).ToList();
    }

    /// <summary>A single-document YAML (or JSON, which is YAML) text.</summary>
    public static JsonNode? Parse(string yaml)
    {
        var documents = ParseAll(yaml);
        return documents.Count switch
        {
            0 => null,
            1 => documents[0],
            _ => throw new YamlException($"expected one YAML document, found {documents.Count}."),
        };
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => MappingToJson(mapping),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => ScalarToJson(scalar),
        _ => throw new YamlException(node.Start, node.End, "YAML aliases are not supported here."),
    };

    private static JsonObject MappingToJson(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw new YamlException(key.Start, key.End, "mapping keys must be plain strings.");
            if (result.ContainsKey(name)) throw new YamlException(key.Start, key.End, $"duplicate key '{name}'.");
            result[name] = ToJson(value);
        }

        return result;
    }

    private static JsonNode? ScalarToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) && !HasLeadingZero(text) => JsonValue.Create(integer),
            _ when LooksLikeFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(text),
        };
    }

    private static bool HasLeadingZero(string text) => text.TrimStart('-', '+') is { Length: > 1 } digits && digits[0] == '0';

    private static bool LooksLikeFloat(string text) =>
        text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.') && text.Any(char.IsAsciiDigit) && text.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+');

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value when value.TryGetValue(out string? s) => s,
        JsonValue value when value.TryGetValue(out bool b) => b,
        JsonValue value when value.TryGetValue(out long l) => l,
        JsonValue value when value.TryGetValue(out int i) => (long)i,
        JsonValue value when value.TryGetValue(out double d) => d,
        _ => node.ToJsonString(),
    };
}
