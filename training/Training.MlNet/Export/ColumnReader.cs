using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Training.MlNet;

/// <summary>Reads whole columns of a data view into flat row-major arrays (vectors densified).</summary>
internal static class ColumnReader
{
    /// <summary>Every row's value(s) of a scalar or fixed-size vector column, row after row.</summary>
    public static T[] Read<T>(IDataView view, string name, int width)
    {
        var column = view.Schema[name];
        if (column.Type is not VectorDataViewType)
            return view.GetColumn<T>(column).ToArray();
        var values = new List<T>();
        foreach (var vector in view.GetColumn<VBuffer<T>>(column))
        {
            if (vector.Length != width)
                throw new InvalidDataException($"Column '{name}' has a row of {vector.Length} values where {width} were expected.");
            values.AddRange(vector.DenseValues());
        }
        return values.ToArray();
    }

    public static string[] ReadText(IDataView view, string name, int width) =>
        Read<ReadOnlyMemory<char>>(view, name, width).Select(v => v.ToString()).ToArray();

    /// <summary>Each row's value of a scalar column as invariant-culture text, whatever its type.</summary>
    public static string[] ReadAsText(IDataView view, string name)
    {
        var column = view.Schema.GetColumnOrNull(name)
            ?? throw new InvalidOperationException($"The data has no column '{name}' (it has: {string.Join(", ", view.Schema.Select(c => c.Name))}).");
        return column.Type.RawType switch
        {
            var t when t == typeof(ReadOnlyMemory<char>) => ReadText(view, name, 1),
            var t when t == typeof(long) => Format(Read<long>(view, name, 1)),
            var t when t == typeof(int) => Format(Read<int>(view, name, 1)),
            var t when t == typeof(uint) => Format(Read<uint>(view, name, 1)),
            var t when t == typeof(float) => Format(Read<float>(view, name, 1)),
            var t when t == typeof(double) => Format(Read<double>(view, name, 1)),
            var t when t == typeof(bool) => Format(Read<bool>(view, name, 1)),
            _ => throw new NotSupportedException($"Column '{name}' is {column.Type}; labels can be text, integers, floats or booleans."),
        };
    }

    private static string[] Format<T>(T[] values) where T : IFormattable =>
        values.Select(v => v.ToString(null, CultureInfo.InvariantCulture)).ToArray();

    private static string[] Format(bool[] values) => values.Select(v => v ? "true" : "false").ToArray();
}
