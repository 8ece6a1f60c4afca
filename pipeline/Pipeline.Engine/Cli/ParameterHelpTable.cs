using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>The parameters section of --help: each parameter's usage, its value for this run (masked when secret) and where that value came from.</summary>
internal static class ParameterHelpTable
{
    /// <summary>The legend of the Source column, highest precedence first, so it reads without the README.</summary>
    public static IReadOnlyList<string> SourcesLegend { get; } =
    [
        "Sources, highest precedence first:",
        "  command line        --option value",
        "  env NAME            the option in UPPER_SNAKE_CASE (--min-accuracy: MIN_ACCURACY); arrays comma- or newline-separated",
        "  parameters.P.json   .nuke/parameters.P.json, with --profile P",
        "  parameters.json     .nuke/parameters.json: deliberate overrides of the defaults",
        "  default             the build's code",
    ];

    public static Table Create(IReadOnlyList<ResolvedParameter> parameters, SecretMasker masker)
    {
        var table = Cells.Table("Parameter", "Value", "Source", "Description");
        table.Title = new TableTitle("Parameters");
        foreach (var parameter in parameters)
        {
            table.AddRow(
                Cells.Text(Usage(parameter.Descriptor)),
                // Masked twice over: a secret's own value is never formatted, and any secret text in another value is replaced.
                Cells.Text(masker.Apply(parameter.DisplayValue)),
                Cells.Dim(parameter.Source.Label),
                Cells.Text(Description(parameter.Descriptor)));
        }

        return table;
    }

    /// <summary><c>--seed &lt;int&gt;</c>, <c>--registry-password &lt;string&gt; (secret)</c>.</summary>
    public static string Usage(ParameterDescriptor descriptor) =>
        $"{descriptor.Option} <{descriptor.TypeName}>" + (descriptor.IsSecret ? " (secret)" : "");

    /// <summary>The description, with an enum's names (they would make the usage column too wide).</summary>
    private static string Description(ParameterDescriptor descriptor)
    {
        var description = descriptor.Description ?? "";
        if (!descriptor.ParameterType.ElementType.IsEnum)
        {
            return description;
        }

        var names = $"One of: {string.Join(", ", descriptor.AllowedValues)}.";
        return description.Length == 0 ? names : $"{description.TrimEnd('.')}. {names}";
    }
}
