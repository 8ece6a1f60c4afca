using Spectre.Console;
using Spectre.Console.Rendering;

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
        // The description sits under the option rather than in a column of its own: four columns leave each too
        // narrow on an 80-column terminal, and the line holding option, value and source stays whole for grep.
        var table = Cells.Table("Parameter", "Value", "Source");
        table.Title = new TableTitle("Parameters");
        table.Columns[2].NoWrap = true;
        foreach (var parameter in parameters)
        {
            var description = Description(parameter.Descriptor);
            IRenderable about = description.Length == 0
                ? Cells.Text(Usage(parameter.Descriptor))
                : new Rows(Cells.Text(Usage(parameter.Descriptor)), new Padder(Cells.Dim(description), new Padding(2, 0, 0, 0)));
            table.AddRow(
                about,
                // A secret's own value is never formatted; the masker also covers secret text inside another value.
                Cells.Text(masker.Apply(parameter.DisplayValue)),
                Cells.Dim(parameter.Source.Label));
        }

        return table;
    }

    /// <summary><c>--seed &lt;int&gt;</c>, <c>--registry-password &lt;string&gt; (secret)</c>.</summary>
    public static string Usage(ParameterDescriptor descriptor) =>
        $"{descriptor.Option} <{descriptor.TypeName}>" + (descriptor.IsSecret ? " (secret)" : "");

    /// <summary>The description, with an enum's names or a string's choices (they would make the usage column too wide).</summary>
    private static string Description(ParameterDescriptor descriptor)
    {
        var description = descriptor.Description ?? "";
        if (!descriptor.ParameterType.ElementType.IsEnum && descriptor.Choices is null)
        {
            return description;
        }

        var names = $"One of: {string.Join(", ", descriptor.AllowedValues)}.";
        return description.Length == 0 ? names : $"{description.TrimEnd('.')}. {names}";
    }
}
