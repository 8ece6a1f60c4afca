using Training.Compute;
using Training.Optimization;

namespace Training.Tests.Optimization;

public sealed class OptimizerTests
{
    private static ParameterTensor Tensor(float[] values, float[] gradients, bool decays = true) => new("p", values, gradients, decays);

    [Fact]
    public void Adam_first_steps_match_hand_computation()
    {
        var weights = Tensor([1f, -2f], [0.5f, -0.25f]);
        var adam = new AdamOptimizer([weights], beta1: 0.9, beta2: 0.999, epsilon: 1e-8);

        adam.Step(0.1);
        // Step 1: m̂ = g, v̂ = g², so each weight moves by lr * sign(g).
        Assert.Equal(0.9f, weights.Values[0], 6);
        Assert.Equal(-1.9f, weights.Values[1], 6);

        weights.Gradients[0] = 0.1f;
        weights.Gradients[1] = 0.3f;
        adam.Step(0.1);
        double[] g1 = [0.5, -0.25], g2 = [0.1, 0.3], start = [0.9, -1.9];
        for (var i = 0; i < 2; i++)
        {
            var m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i];
            var v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
            var expected = start[i] - 0.1 * (m / (1 - 0.81)) / (Math.Sqrt(v / (1 - 0.998001)) + 1e-8);
            Assert.Equal(expected, weights.Values[i], 5);
        }
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void Adam_weight_decay_is_decoupled_and_spares_biases()
    {
        var weights = Tensor([2f], [0f]);
        var bias = Tensor([2f], [0f], decays: false);
        var adam = new AdamOptimizer([weights, bias], weightDecay: 0.5);

        adam.Step(0.1);

        // Zero gradient: the Adam term is 0, only the decoupled decay acts: w -= lr * wd * w.
        Assert.Equal(2f - 0.1f * 0.5f * 2f, weights.Values[0], 6);
        Assert.Equal(2f, bias.Values[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_momentum_matches_hand_computation(bool nesterov)
    {
        var p = Tensor([1f], [0.5f]);
        var sgd = new SgdOptimizer([p], momentum: 0.9, nesterov: nesterov, weightDecay: 0.1);

        sgd.Step(0.1);
        var g1 = 0.5 + 0.1 * 1.0;                       // coupled L2: g + wd * w
        var u1 = g1;
        var w1 = 1.0 - 0.1 * (nesterov ? g1 + 0.9 * u1 : u1);
        Assert.Equal(w1, p.Values[0], 6);

        p.Gradients[0] = -0.2f;
        sgd.Step(0.05);
        var g2 = -0.2 + 0.1 * w1;
        var u2 = 0.9 * u1 + g2;
        var w2 = w1 - 0.05 * (nesterov ? g2 + 0.9 * u2 : u2);
        Assert.Equal(w2, p.Values[0], 6);
    }

    [Fact]
    public void Parallel_updates_give_the_same_bits_as_serial_ones()
    {
        float[] Run(WorkerPool? pool)
        {
            var rng = new Xoshiro256(4);
            var values = new float[100_003];
            var gradients = new float[values.Length];
            for (var i = 0; i < values.Length; i++) (values[i], gradients[i]) = (rng.NextSingle(), rng.NextSingle() - 0.5f);
            var adam = new AdamOptimizer([Tensor(values, gradients)], weightDecay: 0.01, pool: pool);
            for (var s = 0; s < 3; s++) adam.Step(1e-3);
            return values;
        }

        using var pool = new WorkerPool(3);
        Assert.Equal(Run(null), Run(pool));
    }

    [Fact]
    public void Cosine_schedule_warms_up_then_decays_to_the_minimum()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 1.0, 0.1, WarmupSteps: 4, TotalSteps: 24, StepsPerEpoch: 4, 0, 0);

        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(schedule.RateAt));
        Assert.Equal(1.0, schedule.RateAt(4), 12);
        Assert.True(schedule.RateAt(13) < schedule.RateAt(12));
        Assert.Equal(0.1, schedule.RateAt(23), 12);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 5 / 19.0)), schedule.RateAt(9), 12);
    }

    [Fact]
    public void Step_schedule_multiplies_every_n_epochs()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Step, 1.0, 0, 0, 100, StepsPerEpoch: 10, DecayEveryEpochs: 2, DecayFactor: 0.5);

        Assert.Equal(1.0, schedule.RateAt(19));
        Assert.Equal(0.5, schedule.RateAt(20));
        Assert.Equal(0.25, schedule.RateAt(45));
    }

    [Fact]
    public void Early_stopping_tracks_the_best_epoch_and_counts_patience()
    {
        var stopping = new EarlyStopping(patience: 2, minimumImprovement: 0.01);

        Assert.True(stopping.Observe(1, 1.0));
        Assert.True(stopping.Observe(2, 0.9));
        Assert.False(stopping.Observe(3, 0.895)); // not better by more than 0.01
        Assert.False(stopping.ShouldStop);
        Assert.False(stopping.Observe(4, double.NaN));
        Assert.True(stopping.ShouldStop);
        Assert.Equal((2, 0.9), (stopping.BestEpoch, stopping.BestLoss));
    }
}
