using System.Globalization;

namespace Pipeline.Engine;

/// <summary>
/// Parses <c>[targets] [--option values...]</c>. An option takes the tokens after it up to the next option: arrays and
/// --skip take them all, scalars one, bool flags one only if it reads as true/false; the rest are targets.
/// <c>--name=value</c> is accepted too. Every problem is collected before failing.
/// </summary>
internal static class ArgumentParser
{
    public static ParsedArguments Parse(IReadOnlyList<string> args, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var parsed = new ParsedArguments();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < args.Count)
        {
            var token = args[i++];
            if (token is "-h" or "-?")
            {
                parsed.Help = true;
            }
            else if (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2)
            {
                var (name, values, inline) = ReadOption(token, args, ref i);
                if (!seen.Add(name))
                {
                    errors.Add($"Option --{name} was given more than once.");
                    continue;
                }

                var leftover = Apply(parsed, name, values, inline, parameters, errors);
                parsed.Targets.AddRange(leftover);
            }
            else if (token.StartsWith('-') && token.Length > 1 && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                errors.Add(UnknownOption(token, parameters));
            }
            else
            {
                parsed.Targets.Add(token);
            }
        }

        return errors.Count > 0 ? throw new BuildConfigurationException(errors) : parsed;
    }

    private static bool IsOption(string token) =>
        (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2) || token is "-h" or "-?";

    private static (string Name, List<string> Values, bool Inline) ReadOption(string token, IReadOnlyList<string> args, ref int i)
    {
        var body = token[2..];
        var equals = body.IndexOf('=');
        if (equals >= 0)
        {
            return (body[..equals], [body[(equals + 1)..]], true);
        }

        var values = new List<string>();
        while (i < args.Count && !IsOption(args[i]))
        {
            values.Add(args[i++]);
        }

        return (body, values, false);
    }

    /// <summary>Applies one option and returns the tokens it did not consume (they are targets).</summary>
    private static IEnumerable<string> Apply(ParsedArguments parsed, string name, List<string> values, bool inline, IReadOnlyList<ParameterDescriptor> parameters, List<string> errors)
    {
        switch (name.ToLowerInvariant())
        {
            case BuiltInOptions.Help:
                parsed.Help = true;
                return NoValue(name, values, inline, errors);
            case BuiltInOptions.Plan:
                parsed.Plan = true;
                return NoValue(name, values, inline, errors);
            case BuiltInOptions.PlanJson:
                parsed.PlanJson = true;
                return NoValue(name, values, inline, errors);
            case BuiltInOptions.Force:
                parsed.Force = true;
                return NoValue(name, values, inline, errors);
            case BuiltInOptions.Parallel:
                parsed.Parallel = true;
                if (values.Count > 0 && int.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var degree))
                {
                    if (degree < 1)
                    {
                        errors.Add($"--parallel {degree}: the number of concurrent targets must be at least 1.");
                    }

                    parsed.ParallelDegree = degree;
                    return values.Skip(1);
                }

                return NoValue(name, values, inline, errors);
            case BuiltInOptions.Skip:
                parsed.Skip = values;
                return [];
            case BuiltInOptions.Profile:
                if (values.Count == 0)
                {
                    errors.Add("--profile requires at least one profile name, e.g. --profile ci.");
                }

                parsed.Profiles = values;
                return [];
            case BuiltInOptions.Verbosity:
                if (RequireOne(name, "quiet, normal or verbose", values, errors) is { } level)
                {
                    if (Enum.GetNames<Verbosity>().FirstOrDefault(n => n.Equals(level, StringComparison.OrdinalIgnoreCase)) is { } match)
                    {
                        parsed.Verbosity = Enum.Parse<Verbosity>(match);
                    }
                    else
                    {
                        errors.Add($"Invalid value '{level}' for --verbosity: expected quiet, normal or verbose." +
                                   NameSuggester.DidYouMean(level, ["quiet", "normal", "verbose"]));
                    }
                }

                return values.Skip(1);
            case BuiltInOptions.Root:
                parsed.Root = RequireOne(name, "a directory", values, errors);
                return values.Skip(1);
        }

        var parameter = parameters.FirstOrDefault(candidate => candidate.KebabName.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (parameter is null)
        {
            errors.Add(UnknownOption("--" + name, parameters));
            return values;
        }

        return ApplyParameter(parsed, parameter, values, inline, errors);
    }

    private static IEnumerable<string> ApplyParameter(ParsedArguments parsed, ParameterDescriptor parameter, List<string> values, bool inline, List<string> errors)
    {
        if (parameter.IsArray)
        {
            parsed.Parameters[parameter] = values;
            return [];
        }

        if (parameter.ParameterType.IsFlag && !inline && (values.Count == 0 || ValueParser.ParseBool(values[0]) is null))
        {
            parsed.Parameters[parameter] = ["true"];
            return values;
        }

        if (values.Count == 0)
        {
            errors.Add($"Parameter {parameter.Option} requires a {parameter.TypeName} value, e.g. {parameter.Option} <{parameter.TypeName}>.");
            return [];
        }

        parsed.Parameters[parameter] = [values[0]];
        return values.Skip(1);
    }

    private static IEnumerable<string> NoValue(string name, List<string> values, bool inline, List<string> errors)
    {
        if (inline)
        {
            errors.Add($"Option --{name} takes no value.");
            return [];
        }

        return values;
    }

    private static string? RequireOne(string name, string expected, List<string> values, List<string> errors)
    {
        if (values.Count > 0)
        {
            return values[0];
        }

        errors.Add($"Option --{name} requires a value ({expected}).");
        return null;
    }

    private static string UnknownOption(string option, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var candidates = parameters.Select(parameter => parameter.Option).Concat(BuiltInOptions.All.Select(builtIn => "--" + builtIn));
        return $"Unknown parameter '{option}'." + NameSuggester.DidYouMean(option, candidates, " Run with --help to list parameters.");
    }
}
