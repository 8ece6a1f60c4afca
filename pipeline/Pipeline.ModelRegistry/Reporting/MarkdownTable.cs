using System.Text;

namespace Pipeline.ModelRegistry.Reporting;

/// <summary>A Markdown table padded into columns, so it reads as well in a terminal as rendered.</summary>
internal sealed class MarkdownTable(IReadOnlyList<string> headers)
{
    private readonly List<string[]> _rows = [];

    public void AddRow(params string[] cells)
    {
        if (cells.Length != headers.Count) throw new ArgumentException($"Expected {headers.Count} cells, got {cells.Length}.", nameof(cells));
        _rows.Add(cells.Select(Escape).ToArray());
    }

    public void WriteTo(StringBuilder output)
    {
        var widths = headers.Select((header, column) => _rows.Select(row => row[column].Length).Append(Math.Max(3, header.Length)).Max()).ToArray();
        WriteRow(output, headers, widths);
        WriteRow(output, widths.Select(width => new string('-', width)).ToArray(), widths);
        foreach (var row in _rows) WriteRow(output, row, widths);
    }

    private static void WriteRow(StringBuilder output, IReadOnlyList<string> cells, int[] widths) =>
        output.Append("| ").AppendJoin(" | ", cells.Select((cell, column) => cell.PadRight(widths[column]))).AppendLine(" |");

    // A pipe would end the cell and a line break the row.
    private static string Escape(string cell) => cell.Replace("|", "\\|").ReplaceLineEndings(" ");
}
