using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>
/// Picks each parameter's value from the first source that has one: command line, environment, profile files
/// (last profile first), parameters.json, default. Collects every problem before failing.
/// </summary>
internal sealed class ParameterResolver(IReadOnlyList<ParameterDescriptor> parameters, ValueParser parser)
{
    public IReadOnlyList<ResolvedParameter> Resolve(
        IReadOnlyDictionary<ParameterDescriptor, IReadOnlyList<string>> commandLine,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<ParametersFileLayer> files)
    {
        var errors = new List<string>();
        CheckFileKeys(files, errors);
        var resolved = new List<ResolvedParameter>();
        foreach (var parameter in parameters)
        {
            var errorsBefore = errors.Count;
            var (texts, source) = FindTexts(parameter, commandLine, environment, files, errors);
            if (errors.Count > errorsBefore)
            {
                continue;
            }

            if (texts is null)
            {
                resolved.Add(new ResolvedParameter(parameter, parameter.DefaultValue, ParameterSource.Default));
            }
            else if (parser.TryParse(parameter, texts, source, errors, out var value) && ChoicesHold(parameter, texts, source, errors))
            {
                resolved.Add(new ResolvedParameter(parameter, value, source));
            }
        }

        return errors.Count > 0 ? throw new BuildConfigurationException(errors) : resolved;
    }

    private static bool ChoicesHold(ParameterDescriptor parameter, IReadOnlyList<string> texts, ParameterSource source, List<string> errors)
    {
        if (parameter.Choices is not { } choices) return true;
        var wrong = texts.Where(t => !choices.Contains(t, StringComparer.Ordinal)).ToList();
        foreach (var text in wrong)
            errors.Add($"Parameter {parameter.Option}: '{text}' is not one of: {string.Join(", ", choices)} ({source.Description}).{NameSuggester.DidYouMean(text, choices)}");
        return wrong.Count == 0;
    }

    private static (IReadOnlyList<string>? Texts, ParameterSource Source) FindTexts(
        ParameterDescriptor parameter,
        IReadOnlyDictionary<ParameterDescriptor, IReadOnlyList<string>> commandLine,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<ParametersFileLayer> files,
        List<string> errors)
    {
        if (commandLine.TryGetValue(parameter, out var arguments))
        {
            return (arguments, ParameterSource.CommandLine);
        }

        if (environment.TryGetValue(parameter.EnvironmentVariable, out var variable) && !string.IsNullOrWhiteSpace(variable))
        {
            IReadOnlyList<string> texts = parameter.IsArray
                ? variable.Split([',', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [variable.Trim()];
            return (texts, ParameterSource.FromEnvironment(parameter.EnvironmentVariable));
        }

        foreach (var layer in files.Reverse())
        {
            if (layer.Values.TryGetValue(parameter.Name, out var element) && element.ValueKind != JsonValueKind.Null)
            {
                return (JsonTexts(parameter, element, layer, errors), layer.Source);
            }
        }

        return (null, ParameterSource.Default);
    }

    private static IReadOnlyList<string> JsonTexts(ParameterDescriptor parameter, JsonElement element, ParametersFileLayer layer, List<string> errors)
    {
        if (parameter.IsArray != (element.ValueKind == JsonValueKind.Array))
        {
            errors.Add(parameter.IsArray
                ? $"Parameter {parameter.Name} in {layer.FileName} must be a JSON array, e.g. [\"a\", \"b\"]."
                : $"Parameter {parameter.Name} in {layer.FileName} must be a single {parameter.TypeName} value, not an array.");
            return [];
        }

        var elements = parameter.IsArray ? element.EnumerateArray().ToArray() : [element];
        var texts = new List<string>();
        foreach (var item in elements)
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    texts.Add(item.GetString()!);
                    break;
                case JsonValueKind.Number:
                    texts.Add(item.GetRawText());
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    texts.Add(item.ValueKind == JsonValueKind.True ? "true" : "false");
                    break;
                default:
                    errors.Add($"Parameter {parameter.Name} in {layer.FileName} has a JSON {item.ValueKind.ToString().ToLowerInvariant()} where a {parameter.ParameterType.ElementName} value was expected.");
                    break;
            }
        }

        return texts;
    }

    private void CheckFileKeys(IReadOnlyList<ParametersFileLayer> files, List<string> errors)
    {
        var names = parameters.Select(parameter => parameter.Name).ToArray();
        foreach (var layer in files)
        {
            foreach (var key in layer.Values.Keys.Where(key => key != "$schema"))
            {
                if (!names.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"Unknown parameter '{key}' in {layer.FileName}.{NameSuggester.DidYouMean(key, names)}");
                }
            }
        }
    }
}
