using System.Globalization;

namespace Pipeline.Engine;

/// <summary>Converts text from any source into a parameter's type. Relative paths resolve against the root directory.</summary>
internal sealed class ValueParser(AbsolutePath rootDirectory)
{
    /// <summary>Parses one text per element (exactly one for scalars); returns false and adds a message per bad value.</summary>
    public bool TryParse(ParameterDescriptor parameter, IReadOnlyList<string> texts, ParameterSource source, List<string> errors, out object? value)
    {
        var type = parameter.ParameterType;
        value = null;
        if (!type.IsArray && texts.Count != 1)
        {
            errors.Add($"Parameter {parameter.Option} takes one value but got {texts.Count} ({source.Description}).");
            return false;
        }

        var elements = Array.CreateInstance(type.ElementType, texts.Count);
        var ok = true;
        for (var i = 0; i < texts.Count; i++)
        {
            if (TryParseElement(type.ElementType, texts[i], out var element, out var expectation))
            {
                elements.SetValue(element, i);
                continue;
            }

            var shown = parameter.IsSecret ? SecretMasker.Mask : texts[i];
            errors.Add($"Parameter {parameter.Option}: '{shown}' is not a valid {expectation} ({source.Description}).");
            ok = false;
        }

        if (ok)
        {
            value = type.IsArray ? elements : elements.GetValue(0);
        }

        return ok;
    }

    public bool TryParseElement(Type type, string text, out object? value, out string expectation)
    {
        value = null;
        expectation = new ParameterType(type, type, IsArray: false).ElementName;
        var trimmed = text.Trim();
        if (type == typeof(string))
        {
            value = text;
            return true;
        }

        if (type == typeof(int) && int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            value = i;
            return true;
        }

        if (type == typeof(long) && long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
            return true;
        }

        if (type == typeof(double) && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            value = d;
            return true;
        }

        if (type == typeof(bool))
        {
            expectation = "bool (true or false)";
            value = ParseBool(trimmed);
            return value is not null;
        }

        if (type.IsEnum)
        {
            expectation = $"{type.Name} (one of: {string.Join(", ", Enum.GetNames(type))})";
            var name = Enum.GetNames(type).FirstOrDefault(candidate => candidate.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
            value = name is null ? null : Enum.Parse(type, name);
            return value is not null;
        }

        if (type == typeof(AbsolutePath) && trimmed.Length > 0 && trimmed.IndexOfAny(Path.GetInvalidPathChars()) < 0)
        {
            value = AbsolutePath.Resolve(trimmed, rootDirectory);
            return true;
        }

        return false;
    }

    /// <summary>true/false (any case) or 1/0; null when neither.</summary>
    public static bool? ParseBool(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };
}
