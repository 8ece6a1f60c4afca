using System.Globalization;
using Microsoft.ML;
using Pipeline.OnnxRuntime;

namespace Training.MlNet;

/// <summary>
/// Runs the exported model in ONNX Runtime on whole rows and demands ML.NET's own answers: the same label on every row
/// and every probability (or value) within <see cref="Tolerance"/>. This is what catches ConvertToOnnx leaving out a
/// transform it cannot convert: it writes a model anyway, which then answers wrongly.
/// </summary>
internal static class OnnxParityCheck
{
    public const float Tolerance = 1e-5f;

    /// <param name="droppedColumns">Columns ML.NET produces that the raw ONNX graph lacks, named in the error as the likely cause.</param>
    public static void Verify(OrtEnvironment ort, IModelDefinition definition, TrainedCandidate candidate, byte[] onnx, IDataView rows,
        ClassValues? classes, IReadOnlyList<string> droppedColumns)
    {
        using var session = new InferenceSession(ort, onnx);
        CheckInputs(session, definition, FeatureColumn.Of(definition, rows.Schema));
        IReadOnlyList<NamedTensor> outputs;
        try
        {
            outputs = session.Run(TabularTestSet.FeatureTensors(definition, rows));
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException error)
        {
            // Seen with SelectFeaturesBasedOnMutualInformation: the converted graph is well formed but cannot run.
            throw new InvalidOperationException(
                $"The ONNX export of {definition.Name}/{candidate.Name} fails in ONNX Runtime, so it was not written: {error.Message} "
                + "ConvertToOnnx wrote a graph that does not run; replace the step the failing node comes from or drop this candidate.", error);
        }
        var scored = candidate.Model.Transform(rows);
        var mismatch = classes is null
            ? CompareValues(scored, outputs)
            : CompareClasses(scored, outputs, classes);
        if (mismatch is null) return;
        var cause = droppedColumns.Count > 0
            ? $"ConvertToOnnx left out what produces {string.Join(", ", droppedColumns.Select(c => $"'{c}'"))}: a transform it cannot convert is dropped silently. Replace that transform with one ONNX can express, or drop this candidate."
            : "a transform or trainer whose ONNX conversion computes something else than ML.NET (e.g. a different normalization of the scores); compare the chain's steps with what ConvertToOnnx supports, or drop this candidate.";
        throw new InvalidOperationException(
            $"The ONNX export of {definition.Name}/{candidate.Name} does not answer like the ML.NET model, so it was not written. {mismatch} Likely cause: {cause}");
    }

    private static void CheckInputs(InferenceSession session, IModelDefinition definition, IReadOnlyList<FeatureColumn> features)
    {
        foreach (var feature in features)
        {
            var input = session.Inputs.FirstOrDefault(i => i.Name == feature.Name)
                ?? throw new InvalidOperationException($"The exported model has no input '{feature.Name}' for feature column '{feature.Name}' of model '{definition.Name}'.");
            if (input.ElementType != feature.ElementType || input.Shape.Count != 2 || input.Shape[1] != feature.Width)
                throw new InvalidOperationException(
                    $"Input '{feature.Name}' of the exported model is {input.ElementType} [{string.Join(", ", input.Shape)}]; the contract is {feature.ElementType} [-1, {feature.Width}].");
        }
        if (session.Inputs.Count != features.Count)
            throw new InvalidOperationException(
                $"The exported model takes {string.Join(", ", session.Inputs.Select(i => i.Name))}; the contract is exactly the feature columns {string.Join(", ", features.Select(f => f.Name))}.");
    }

    private static string? CompareClasses(IDataView scored, IReadOnlyList<NamedTensor> outputs, ClassValues classes)
    {
        var expectedScores = ColumnReader.Read<float>(scored, "Score", classes.Count);
        var expectedLabels = ColumnReader.Read<uint>(scored, ClassValues.PredictedLabelColumn, 1)
            .Select(key => key == 0 ? "(missing key)" : classes.Names[(int)key - 1]).ToArray();
        var actualScores = Output(outputs, ServingContract.Probabilities).As<float>().ToArray();
        var label = Output(outputs, ServingContract.Label);
        var actualLabels = classes.Integers is null
            ? label.AsStrings().Values
            : label.As<long>().ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        return Compare(expectedLabels, expectedScores, actualLabels, actualScores, classes.Count, "probabilities");
    }

    private static string? CompareValues(IDataView scored, IReadOnlyList<NamedTensor> outputs)
    {
        var expected = ColumnReader.Read<float>(scored, "Score", 1);
        var actual = Output(outputs, ServingContract.Value).As<float>().ToArray();
        return Compare(null, expected, null, actual, 1, "value");
    }

    private static string? Compare(string[]? expectedLabels, float[] expectedScores, string[]? actualLabels, float[] actualScores, int width, string scoreName)
    {
        var rows = expectedScores.Length / width;
        if (actualScores.Length != expectedScores.Length || (actualLabels?.Length ?? rows) != rows)
            return $"ML.NET scored {rows} rows but ONNX Runtime returned {actualScores.Length / width} rows of {scoreName} and {actualLabels?.Length ?? rows} labels.";
        int labelDiffs = 0, scoreDiffs = 0, first = -1;
        for (var row = 0; row < rows; row++)
        {
            var labelDiffers = expectedLabels is not null && expectedLabels[row] != actualLabels![row];
            var scoreDiffers = false;
            for (var c = 0; c < width; c++)
            {
                float e = expectedScores[row * width + c], a = actualScores[row * width + c];
                // NaN on both sides is agreement; NaN on one side, or a gap over the tolerance, is not. The tolerance
                // is absolute for probabilities and relative for regression values above 1 (float keeps ~7 digits).
                if (float.IsNaN(e) != float.IsNaN(a) || Math.Abs(e - a) > Tolerance * Math.Max(1f, Math.Abs(e))) scoreDiffers = true;
            }
            if (labelDiffers) labelDiffs++;
            if (scoreDiffers) scoreDiffs++;
            if ((labelDiffers || scoreDiffers) && first < 0) first = row;
        }
        if (first < 0) return null;
        string Row(string[]? labels, float[] scores) =>
            (labels is null ? "" : $"'{labels[first]}' with ") + "[" + string.Join(", ", scores.Skip(first * width).Take(width).Select(s => s.ToString("G6", CultureInfo.InvariantCulture))) + "]";
        return $"{labelDiffs} of {rows} rows get another label and {scoreDiffs} have {scoreName} off by more than {Tolerance.ToString(CultureInfo.InvariantCulture)}. "
            + $"First differing row {first}: ML.NET says {Row(expectedLabels, expectedScores)}, ONNX says {Row(actualLabels, actualScores)}.";
    }

    private static DenseTensor Output(IReadOnlyList<NamedTensor> outputs, string name) =>
        outputs.FirstOrDefault(o => o.Name == name).Tensor
        ?? throw new InvalidOperationException($"The exported model returned no '{name}' output.");
}
