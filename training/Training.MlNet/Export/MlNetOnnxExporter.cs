using Google.Protobuf;
using Microsoft.ML;
using Pipeline.IO;
using Pipeline.Onnx.Protos;
using Pipeline.OnnxRuntime;

namespace Training.MlNet;

/// <summary>
/// Exports a trained ML.NET candidate to ONNX in the serving contract, and only if ONNX Runtime then gives ML.NET's
/// own answers on the whole test set (see <see cref="OnnxParityCheck"/>).
/// </summary>
public sealed class MlNetOnnxExporter(OrtEnvironment ort)
{
    public MlNetOnnxExporter() : this(new OrtEnvironment())
    {
    }

    /// <summary>The normalized ONNX model bytes; throws (naming the problem) when the model cannot be normalized or answers differently.</summary>
    public byte[] Export(MLContext ml, IModelDefinition definition, TrainedCandidate candidate, ModelData data, MlNetExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(metadata);
        var features = FeatureColumn.Of(definition, data.Test.Schema);
        var classes = definition.Task == ModelTask.Regression ? null : ClassValues.Of(candidate.Model, data.Test.Schema);

        var converterInput = ConverterInput(ml, definition, data.Test);
        var model = Convert(ml, definition, candidate, converterInput);
        var dropped = DroppedColumns(model, candidate.Model.GetOutputSchema(converterInput.Schema));
        OnnxContractNormalizer.Normalize(model, definition, features, classes);
        model.Graph.Name = definition.Name;
        MlNetMetadataProperties.Apply(model, definition, candidate, metadata, classes?.Names ?? []);
        var bytes = model.ToByteArray();

        OnnxParityCheck.Verify(ort, definition, candidate, bytes, data.Test, classes, dropped);
        return bytes;
    }

    /// <summary>Exports, checks, then writes the file atomically; nothing is written when the check fails.</summary>
    public async Task ExportToFileAsync(MLContext ml, IModelDefinition definition, TrainedCandidate candidate, ModelData data,
        MlNetExportMetadata metadata, string path, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var bytes = Export(ml, definition, candidate, data, metadata);
        await AtomicFile.WriteAllBytesAsync(path, bytes, ct);
    }

    /// <summary>
    /// The feature columns plus the label column: a classifier's chain starts by mapping the label to a key, and
    /// ConvertToOnnx applies the whole chain, so over the features alone it fails ("Could not find input column").
    /// The label input this adds is removed in normalization with everything only it feeds.
    /// </summary>
    private static IDataView ConverterInput(MLContext ml, IModelDefinition definition, IDataView test)
    {
        string[] columns = test.Schema.GetColumnOrNull(definition.LabelColumn) is null
            ? [.. definition.FeatureColumns]
            : [.. definition.FeatureColumns, definition.LabelColumn];
        return ml.Transforms.SelectColumns(columns).Fit(test).Transform(test);
    }

    private static ModelProto Convert(MLContext ml, IModelDefinition definition, TrainedCandidate candidate, IDataView view)
    {
        using var stream = new MemoryStream();
        try
        {
            ml.Model.ConvertToOnnx(candidate.Model, view, stream);
        }
        catch (InvalidOperationException error)
        {
            throw new InvalidOperationException(
                $"ConvertToOnnx cannot convert {definition.Name}/{candidate.Name}: {error.Message} One of its steps has no ONNX form "
                + "(e.g. CustomMapping, ApproximatedKernelMap, binning or CDF normalizers); replace it with a convertible transform or drop this candidate.", error);
        }
        catch (ArgumentException error)
        {
            // The converter sees only the feature and label columns, so a chain reading any other column fails here.
            throw new InvalidOperationException(
                $"ConvertToOnnx cannot apply {definition.Name}/{candidate.Name} to the feature columns ({string.Join(", ", definition.FeatureColumns)}) "
                + $"and label '{definition.LabelColumn}': {error.Message} The served model gets only the feature columns: add the column the chain reads to FeatureColumns.", error);
        }
        return ModelProto.Parser.ParseFrom(stream.ToArray());
    }

    /// <summary>Visible columns ML.NET's chain produces that have no "C.output" in the converted graph: what the converter dropped.</summary>
    private static IReadOnlyList<string> DroppedColumns(ModelProto model, DataViewSchema mlnetOutput)
    {
        var converted = model.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        return mlnetOutput.Where(c => !c.IsHidden && !converted.Contains(c.Name + ".output")).Select(c => c.Name).Distinct().ToList();
    }
}
