using Microsoft.ML;
using Pipeline.OnnxRuntime;

namespace Training.MlNet.Tests;

/// <summary>The served label carries the original label values, not ML.NET's 1-based keys.</summary>
public sealed class LabelMappingTests
{
    [Fact]
    public async Task Numeric_labels_are_served_as_their_original_int64_values_not_as_keys()
    {
        var definition = new SyntheticModel();
        var ml = new MLContext(3);
        var data = await definition.LoadAsync(ml, new ModelDataFiles("unused"), 3, CancellationToken.None);
        var candidate = Assert.Single(await new MlNetTrainer().TrainAsync(definition, data, 3, null, _ => { }, CancellationToken.None));
        var onnx = new MlNetOnnxExporter().Export(ml, definition, candidate, data, PenguinsFixture.Metadata("synthetic"));

        var classNames = SyntheticModel.Classes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var testSet = TabularTestSet.From(definition, data.Test, classNames);
        var (expected, expectedScores) = Oracle.MlNet(ml, candidate.Model, data.Test);
        var (labels, probabilities, session) = Oracle.Onnx(onnx, testSet.Inputs);
        using (session)
        {
            Assert.Equal(expected, labels);
            Oracle.AssertClose(expectedScores, probabilities);
            Assert.Equal(classNames.ToHashSet(), labels.ToHashSet());
            Assert.Equal((TensorElementType.Int64, "-1"), (session.Outputs[1].ElementType, string.Join(",", session.Outputs[1].Shape)));
            Assert.Equal([("x", 2L), ("size", 1L)], session.Inputs.Select(i => (i.Name, i.Shape[1])));
            // The synthetic chain keys labels by occurrence, so class order is not sorted order; the probability
            // columns must follow class_names all the same.
            var classOrder = System.Text.Json.JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadata["class_names"])!;
            Assert.Equal(classNames.Order(), classOrder.Order());
            for (var row = 0; row < labels.Length; row++)
            {
                var scores = probabilities.AsSpan(row * 3, 3);
                Assert.Equal(labels[row], classOrder[scores.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(scores))]);
            }
        }
    }
}
