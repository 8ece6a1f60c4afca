using System.Globalization;

namespace Training.Data;

/// <summary>How to read a CSV data set: which column holds the label; every other column is a feature.</summary>
public sealed record CsvDataSetOptions
{
    /// <summary>Whether the first line names the columns.</summary>
    public bool HasHeader { get; init; } = true;
    /// <summary>The label column by header name (needs <see cref="HasHeader"/>); when null, <see cref="LabelColumnIndex"/> is used.</summary>
    public string? LabelColumnName { get; init; }
    /// <summary>Zero-based index of the label column, used when <see cref="LabelColumnName"/> is null.</summary>
    public int LabelColumnIndex { get; init; }
    public char Delimiter { get; init; } = ',';
    /// <summary>The classes; labels may then be written as a class name or its index. When null, labels are
    /// integers 0..max and the classes are named "0".."max".</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}

/// <summary>
/// Reads a numeric CSV file (no quoted delimiters) into a <see cref="DataSet"/>, checking every row's column
/// count, every number and every label; errors name the file, line and column.
/// </summary>
public static class CsvDataSetReader
{
    public static async Task<DataSet> ReadAsync(string path, CsvDataSetOptions options, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        var content = await File.ReadAllBytesAsync(path, cancellationToken);
        using var reader = new StreamReader(new MemoryStream(content), detectEncodingFromByteOrderMarks: true);
        return Parse(path, reader, options, InputFileHash.Of(path, content));
    }

    private static DataSet Parse(string path, TextReader reader, CsvDataSetOptions options, InputFileHash source)
    {
        var name = Path.GetFileName(path);
        string[]? header = null;
        var labelColumn = options.LabelColumnIndex;
        var columnCount = -1;
        var features = new List<float>();
        var labels = new List<int>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(options.Delimiter);
            if (options.HasHeader && header is null)
            {
                header = fields.Select(Unquote).ToArray();
                labelColumn = LabelColumn(name, header, options);
                columnCount = header.Length;
                continue;
            }
            if (columnCount < 0)
            {
                columnCount = fields.Length;
                if (labelColumn < 0 || labelColumn >= columnCount)
                    throw new DataSetFormatException($"{name}: label column index {labelColumn} is outside the {columnCount} columns of line {lineNumber}.");
            }
            if (fields.Length != columnCount)
                throw new DataSetFormatException($"{name} line {lineNumber}: expected {columnCount} columns, found {fields.Length}.");
            if (columnCount < 2)
                throw new DataSetFormatException($"{name} line {lineNumber}: a row needs a label and at least one feature column.");
            for (var c = 0; c < fields.Length; c++)
            {
                var text = Unquote(fields[c]);
                if (c == labelColumn) labels.Add(ParseLabel(name, lineNumber, c, header, text, options.ClassNames));
                else features.Add(ParseNumber(name, lineNumber, c, header, text));
            }
        }
        if (labels.Count == 0) throw new DataSetFormatException($"{name}: no data rows.");

        var classNames = options.ClassNames ?? Enumerable.Range(0, labels.Max() + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (classNames.Count < 2)
            throw new DataSetFormatException($"{name}: all labels are 0; a classification data set needs at least 2 classes.");
        return new DataSet(features.ToArray(), labels.ToArray(), columnCount - 1, classNames, [source]);
    }

    private static int LabelColumn(string name, string[] header, CsvDataSetOptions options)
    {
        if (options.LabelColumnName is null)
        {
            if (options.LabelColumnIndex < 0 || options.LabelColumnIndex >= header.Length)
                throw new DataSetFormatException($"{name}: label column index {options.LabelColumnIndex} is outside the {header.Length} header columns.");
            return options.LabelColumnIndex;
        }
        var index = Array.IndexOf(header, options.LabelColumnName);
        if (index < 0)
            throw new DataSetFormatException($"{name}: no column named '{options.LabelColumnName}' in the header (columns: {string.Join(", ", header)}).");
        return index;
    }

    private static float ParseNumber(string name, int line, int column, string[]? header, string text)
    {
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value))
            return value;
        throw new DataSetFormatException($"{name} line {line}, {Column(column, header)}: '{text}' is not a finite number.");
    }

    private static int ParseLabel(string name, int line, int column, string[]? header, string text, IReadOnlyList<string>? classNames)
    {
        if (classNames is not null)
        {
            for (var i = 0; i < classNames.Count; i++)
                if (string.Equals(classNames[i], text, StringComparison.Ordinal)) return i;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var label) && label >= 0 && (classNames is null || label < classNames.Count))
            return label;
        var expected = classNames is null ? "a non-negative integer" : $"a class name or index 0..{classNames.Count - 1}";
        throw new DataSetFormatException($"{name} line {line}, {Column(column, header)}: label '{text}' is not {expected}.");
    }

    private static string Column(int column, string[]? header) =>
        header is null ? $"column {column + 1}" : $"column {column + 1} ('{header[column]}')";

    private static string Unquote(string field)
    {
        var trimmed = field.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1] : trimmed;
    }
}
