using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Engine;

/// <summary>Plain-text table cells: Spectre parses strings as markup, and names or values may contain brackets.</summary>
internal static class Cells
{
    public static IRenderable Text(string? text) => new Text(text ?? "");

    public static IRenderable Dim(string? text) => new Text(text ?? "", new Style(Color.Grey));

    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }

        return table;
    }
}
