using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>--help: targets with descriptions and dependencies, parameters with current (masked) values and their sources, built-in options.</summary>
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
            sink.Write(ParameterHelpTable.Create(parameters, sink.Masker));
        }

        var options = Cells.Table("Option", "Description");
        options.Title = new TableTitle("Options");
        foreach (var (usage, description) in BuiltInOptions.Usage)
        {
            options.AddRow(Cells.Text(usage), Cells.Text(description));
        }

        sink.Write(options);
        if (parameters.Count > 0)
        {
            sink.WriteLines(ParameterHelpTable.SourcesLegend);
        }
    }
}
