using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Training.MlNet;

/// <summary>
/// A classifier's classes in key order (key k is class k-1): their names as invariant text, and for a numeric label
/// the original values the served <c>label</c> output carries as int64 (null for a text label, which it carries as strings).
/// </summary>
internal sealed record ClassValues(IReadOnlyList<string> Names, long[]? Integers)
{
    public const string PredictedLabelColumn = "PredictedLabel";

    // ML.NET's annotation kind for a key column's values (its AnnotationUtils constant is internal).
    private const string KeyValuesKind = "KeyValues";

    public int Count => Names.Count;

    /// <summary>The key values of the chain's <c>PredictedLabel</c> column, i.e. the label values seen in training.</summary>
    public static ClassValues Of(ITransformer model, DataViewSchema inputSchema)
    {
        var column = model.GetOutputSchema(inputSchema).GetColumnOrNull(PredictedLabelColumn)
            ?? throw new InvalidOperationException(
                $"The model has no '{PredictedLabelColumn}' column, so it is not a classifier; end the chain with a classification trainer (its label mapped with MapValueToKey).");
        var keyValues = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind)?.Type as VectorDataViewType
            ?? throw new InvalidOperationException(
                $"'{PredictedLabelColumn}' carries no key values, so the original labels cannot be served; map the label with MapValueToKey from the source label column.");
        var raw = keyValues.ItemType.RawType;
        if (raw == typeof(ReadOnlyMemory<char>))
            return new ClassValues(Read<ReadOnlyMemory<char>>(column).Select(v => v.ToString()).ToList(), null);
        long[] integers = raw == typeof(long) ? Read<long>(column)
            : raw == typeof(int) ? Read<int>(column).Select(v => (long)v).ToArray()
            : raw == typeof(uint) ? Read<uint>(column).Select(v => (long)v).ToArray()
            : raw == typeof(short) ? Read<short>(column).Select(v => (long)v).ToArray()
            : raw == typeof(byte) ? Read<byte>(column).Select(v => (long)v).ToArray()
            : throw new NotSupportedException(
                $"The label's values are {keyValues.ItemType}; the served label is text or int64, so load the label column as text or an integer type.");
        return new ClassValues(integers.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList(), integers);
    }

    private static T[] Read<T>(DataViewSchema.Column column)
    {
        VBuffer<T> values = default;
        column.Annotations.GetValue(KeyValuesKind, ref values);
        return values.DenseValues().ToArray();
    }
}
