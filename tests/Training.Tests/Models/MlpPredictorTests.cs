using Training.Compute;
using Training.Models;
using Training.Tests.Support;

namespace Training.Tests.Models;

public sealed class MlpPredictorTests
{
    private static MlpModel Model(float biasShift = 0)
    {
        var w1 = SyntheticData.RandomMatrix(5 * 7, 1);
        var w2 = SyntheticData.RandomMatrix(7 * 3, 2);
        return new MlpModel(new FeatureNormalizer([1, 0, -1, 2, 0.5f], [0.5f, 1, 2, 1, 4]),
            [new DenseLayer(5, 7, w1, SyntheticData.RandomMatrix(7, 3), Activation.Relu),
             new DenseLayer(7, 3, w2, [biasShift, 0, -biasShift], Activation.None)],
            ["x", "y", "z"]);
    }

    /// <summary>The textbook forward pass in double precision.</summary>
    private static double[] Reference(MlpModel model, float[] features)
    {
        var count = features.Length / model.InputSize;
        var output = new List<double>();
        for (var s = 0; s < count; s++)
        {
            var x = Enumerable.Range(0, model.InputSize)
                .Select(j => ((double)features[s * model.InputSize + j] - model.Normalizer.Mean[j]) * model.Normalizer.InverseStd[j]).ToArray();
            foreach (var layer in model.Layers)
            {
                var y = new double[layer.OutputSize];
                for (var o = 0; o < layer.OutputSize; o++)
                {
                    double sum = layer.Bias[o];
                    for (var i = 0; i < layer.InputSize; i++) sum += x[i] * layer.Weights[i * layer.OutputSize + o];
                    y[o] = layer.Activation == Activation.Relu ? Math.Max(0, sum) : sum;
                }
                x = y;
            }
            var max = x.Max();
            var exp = x.Select(v => Math.Exp(v - max)).ToArray();
            output.AddRange(exp.Select(e => e / exp.Sum()));
        }
        return output.ToArray();
    }

    [Fact]
    public void Probabilities_match_the_textbook_forward_pass()
    {
        var model = Model();
        var features = SyntheticData.RandomMatrix(11 * 5, 4);

        var probabilities = model.PredictProbabilities(features);

        var expected = Reference(model, features);
        Assert.Equal(expected.Length, probabilities.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], probabilities[i], 5);
        for (var s = 0; s < 11; s++) Assert.Equal(1.0, probabilities.AsSpan(s * 3, 3).ToArray().Sum(), 5);
        Assert.Equal(MlpPredictor.ArgMax(probabilities, 3), model.PredictLabels(features));
    }

    [Fact]
    public void Batch_size_and_thread_count_do_not_change_a_single_bit()
    {
        var model = Model();
        var features = SyntheticData.RandomMatrix(1001 * 5, 5);
        float[] Predict(int batchRows, int threads)
        {
            using var pool = new WorkerPool(threads);
            return new MlpPredictor(model, new MatrixMultiplier(pool, parallelThresholdFlops: 0), batchRows).PredictProbabilities(features);
        }

        var reference = Predict(1, 1);
        Assert.Equal(reference, Predict(500, 2));
        Assert.Equal(reference, Predict(1001, 3));
    }

    [Fact]
    public void Huge_logits_do_not_overflow_the_softmax()
    {
        var probabilities = Model(biasShift: 1e5f).PredictProbabilities(SyntheticData.RandomMatrix(2 * 5, 6));

        Assert.All(probabilities, p => Assert.True(float.IsFinite(p)));
        Assert.Equal([1f, 0f, 0f, 1f, 0f, 0f], probabilities);
    }

    [Fact]
    public void Ragged_input_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Model().PredictProbabilities(new float[7]));
        Assert.Contains("not a whole number of 5-feature samples", error.Message);
    }
}
