using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.OnnxRuntime;

namespace Training.MlNet;

/// <summary>A source column as the served model takes it: ONNX input name, element type and width ([N, width]).</summary>
public sealed record FeatureColumn(string Name, TensorElementType ElementType, int Width)
{
    /// <summary>The definition's feature columns as <paramref name="schema"/> holds them, or an error naming the column that cannot be served.</summary>
    public static IReadOnlyList<FeatureColumn> Of(IModelDefinition definition, DataViewSchema schema) =>
        definition.FeatureColumns.Select(name => Of(definition, schema, name)).ToList();

    private static FeatureColumn Of(IModelDefinition definition, DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new InvalidOperationException(
                $"Model '{definition.Name}' lists feature column '{name}', but its data has no such column (it has: {string.Join(", ", schema.Select(c => c.Name))}). Fix FeatureColumns or LoadAsync.");
        var (itemType, width) = column.Type switch
        {
            VectorDataViewType { IsKnownSize: true } vector => (vector.ItemType, vector.Size),
            VectorDataViewType => throw new InvalidOperationException(
                $"Feature column '{name}' of model '{definition.Name}' is a vector of unknown size; the served input needs a fixed width, so give it a [VectorType(n)]."),
            var scalar => (scalar, 1),
        };
        return new FeatureColumn(name, ElementTypeOf(itemType) ?? throw new InvalidOperationException(
            $"Feature column '{name}' of model '{definition.Name}' is {itemType}; a served input is Single, Double, Int32, Int64, Boolean or Text. Convert it in LoadAsync."), width);
    }

    /// <summary>The ONNX element type the serving contract uses for an ML.NET item type, or null if it has none.</summary>
    public static TensorElementType? ElementTypeOf(DataViewType itemType) => itemType.RawType switch
    {
        var t when t == typeof(float) => TensorElementType.Float,
        var t when t == typeof(double) => TensorElementType.Double,
        var t when t == typeof(int) => TensorElementType.Int32,
        var t when t == typeof(long) => TensorElementType.Int64,
        var t when t == typeof(bool) => TensorElementType.Bool,
        var t when t == typeof(ReadOnlyMemory<char>) => TensorElementType.String,
        _ => null,
    };
}
