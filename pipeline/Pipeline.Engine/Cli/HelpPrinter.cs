using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>--help: targets with descriptions and dependencies, parameters with current (masked) values and sources, built-in options.</summary>
internal static class HelpPrinter
{
    public static void Print(BuildGraph graph, IReadOnlyList<ResolvedParameter> parameters, OutputSink sink)
    {
        sink.WriteLine("Usage: build [targets...] [--parameter value...] [options]");
        sink.WriteLine("");
        var targets = Cells.Table("Target", "Description", "Depends on");
        targets.Title = new TableTitle("Targets");
        foreach (var target in graph.Targets)
        {
            targets.AddRow(
                Cells.Text(target.IsDefault ? $"{target.Name} (default)" : target.Name),
                Cells.Text(target.Description),
                Cells.Dim(string.Join(", ", target.DependsOn)));
        }

        sink.Write(targets);
        if (parameters.Count > 0)
        {
            var table = Cells.Table("Parameter", "Environment", "Type", "Value", "Source", "Description");
            table.Title = new TableTitle("Parameters");
            foreach (var parameter in parameters)
            {
                var descriptor = parameter.Descriptor;
                var type = descriptor.AllowedValues.Count > 0 && descriptor.ParameterType.ElementType.IsEnum
                    ? $"{descriptor.TypeName} ({string.Join("|", descriptor.AllowedValues)})"
                    : descriptor.TypeName;
                table.AddRow(
                    Cells.Text(descriptor.Option),
                    Cells.Dim(descriptor.EnvironmentVariable),
                    Cells.Text(type + (descriptor.IsSecret ? ", secret" : "")),
                    Cells.Text(sink.Masker.Apply(parameter.DisplayValue)),
                    Cells.Dim(parameter.Source.ToString()),
                    Cells.Text(descriptor.Description));
            }

            sink.Write(table);
        }

        var options = Cells.Table("Option", "Description");
        options.Title = new TableTitle("Options");
        foreach (var (usage, description) in BuiltInOptions.Usage)
        {
            options.AddRow(Cells.Text(usage), Cells.Text(description));
        }

        sink.Write(options);
        sink.WriteLine("Parameters also read UPPER_SNAKE_CASE environment variables (arrays: comma- or newline-separated) and .nuke/parameters.json.");
    }
}
