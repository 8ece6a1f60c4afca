using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>--plan: the targets in execution order with the action each would get and why.</summary>
internal static class PlanPrinter
{
    public static void Print(IReadOnlyList<PlanPreview> previews, OutputSink sink)
    {
        var table = Cells.Table("#", "Target", "Action", "Reason", "After");
        table.Title = new TableTitle("Execution plan");
        var position = 1;
        foreach (var preview in previews)
        {
            table.AddRow(
                Cells.Text(position++.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Cells.Text(preview.Planned.IsInvoked ? $"{preview.Planned.Name} (invoked)" : preview.Planned.Name),
                new Text(preview.Action.ToString(), ActionStyle(preview.Action)),
                Cells.Text(sink.Masker.Apply(preview.Reason ?? "")),
                Cells.Dim(string.Join(", ", preview.Planned.Predecessors)));
        }

        sink.Write(table);
    }

    private static Style ActionStyle(PlannedAction action) => action switch
    {
        PlannedAction.Run => new Style(Color.Green),
        PlannedAction.UpToDate => new Style(Color.Aqua),
        _ => new Style(Color.Grey),
    };
}
