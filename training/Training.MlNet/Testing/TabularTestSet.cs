using Microsoft.ML;
using Pipeline.OnnxRuntime;

namespace Training.MlNet;

/// <summary>
/// Test rows as the served model takes them: one tensor per feature column over all rows, plus each row's true label.
/// Gates, smoke and load tests build their requests and check the answers from this.
/// </summary>
public sealed class TabularTestSet
{
    private TabularTestSet(IReadOnlyList<NamedTensor> inputs, string[] labelValues, int[] labelIndices)
    {
        Inputs = inputs;
        LabelValues = labelValues;
        LabelIndices = labelIndices;
    }

    /// <summary>One tensor per feature column, in FeatureColumns order, shape [rows, width].</summary>
    public IReadOnlyList<NamedTensor> Inputs { get; }

    /// <summary>Each row's true label as invariant-culture text.</summary>
    public string[] LabelValues { get; }

    /// <summary>Each row's true label as an index into the class names; empty for a regression model, which has no classes.</summary>
    public int[] LabelIndices { get; }

    public int Count => LabelValues.Length;

    /// <summary>The test rows, with the label values they hold as the classes (for consumers that match label values, not indices).</summary>
    public static TabularTestSet From(IModelDefinition definition, IDataView test) =>
        From(definition, test, ColumnReader.ReadAsText(test, definition.LabelColumn).Distinct(StringComparer.Ordinal).ToList());

    public static TabularTestSet From(IModelDefinition definition, IDataView test, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(classNames);
        var labels = ColumnReader.ReadAsText(test, definition.LabelColumn);
        var indices = definition.Task == ModelTask.Regression ? [] : Indices(definition, labels, classNames);
        return new TabularTestSet(FeatureTensors(definition, test), labels, indices);
    }

    /// <summary>The feature tensors alone, for rows without a label (the parity check's probe rows).</summary>
    internal static IReadOnlyList<NamedTensor> FeatureTensors(IModelDefinition definition, IDataView rows)
    {
        var columns = FeatureColumn.Of(definition, rows.Schema);
        return columns.Select(column => new NamedTensor(column.Name, Tensor(rows, column))).ToList();
    }

    private static DenseTensor Tensor(IDataView rows, FeatureColumn column)
    {
        DenseTensor Typed<T>() where T : unmanaged
        {
            var values = ColumnReader.Read<T>(rows, column.Name, column.Width);
            return new DenseTensor<T>(values, values.Length / column.Width, column.Width);
        }

        return column.ElementType switch
        {
            TensorElementType.Float => Typed<float>(),
            TensorElementType.Double => Typed<double>(),
            TensorElementType.Int32 => Typed<int>(),
            TensorElementType.Int64 => Typed<long>(),
            TensorElementType.Bool => Typed<bool>(),
            TensorElementType.String => Strings(rows, column),
            var type => throw new NotSupportedException($"Feature column '{column.Name}' has element type {type}, which the serving contract does not carry."),
        };
    }

    private static StringTensor Strings(IDataView rows, FeatureColumn column)
    {
        var values = ColumnReader.ReadText(rows, column.Name, column.Width);
        return new StringTensor(values, values.Length / column.Width, column.Width);
    }

    private static int[] Indices(IModelDefinition definition, string[] labels, IReadOnlyList<string> classNames)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < classNames.Count; i++) index.TryAdd(classNames[i], i);
        return labels.Select((label, row) => index.TryGetValue(label, out var i) ? i : throw new InvalidDataException(
            $"Test row {row} of model '{definition.Name}' has label '{label}', which is not one of its classes ({string.Join(", ", classNames)}). "
            + "The classes come from the training rows: make sure every class occurs in the training split.")).ToArray();
    }
}
