using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Training.Compute;

namespace Training.Optimization;

/// <summary>
/// Adam with DECOUPLED weight decay (AdamW, Loshchilov and Hutter):
/// m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g²;  w -= lr (m/(1-b1^t) / (sqrt(v/(1-b2^t)) + eps) + wd w).
/// The decay term is not scaled by the adaptive denominator, unlike L2 added to the gradient.
/// </summary>
public sealed class AdamOptimizer : IOptimizer
{
    private readonly IReadOnlyList<ParameterTensor> _parameters;
    private readonly float[][] _m, _v;
    private readonly double _beta1, _beta2;
    private readonly float _epsilon;
    private readonly double _weightDecay;
    private readonly WorkerPool? _pool;
    private readonly ElementwiseUpdate _work;
    private float _b1, _c1, _b2, _c2, _stepScale, _invBias2, _decayScale;

    public AdamOptimizer(IReadOnlyList<ParameterTensor> parameters, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, WorkerPool? pool = null)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), $"Beta1 must be in [0, 1), got {beta1}.");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), $"Beta2 must be in [0, 1), got {beta2}.");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be positive, got {epsilon}.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Weight decay must not be negative, got {weightDecay}.");
        _parameters = parameters;
        _m = parameters.Select(p => new float[p.Length]).ToArray();
        _v = parameters.Select(p => new float[p.Length]).ToArray();
        (_beta1, _beta2, _epsilon, _weightDecay, _pool) = (beta1, beta2, (float)epsilon, weightDecay, pool);
        _work = new ElementwiseUpdate(parameters, Update);
    }

    /// <summary>Steps taken so far (t in the bias corrections).</summary>
    public int StepCount { get; private set; }

    public void Step(double learningRate)
    {
        StepCount++;
        // 1 - beta is formed in double: in float, 1 - 0.999f is off by 5e-5 relative.
        (_b1, _c1) = ((float)_beta1, (float)(1 - _beta1));
        (_b2, _c2) = ((float)_beta2, (float)(1 - _beta2));
        _stepScale = (float)(learningRate / (1 - Math.Pow(_beta1, StepCount)));
        _invBias2 = (float)(1 / (1 - Math.Pow(_beta2, StepCount)));
        _decayScale = (float)(learningRate * _weightDecay);
        _work.Run(_pool);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Update(int index, int start, int end)
    {
        var parameter = _parameters[index];
        var w = parameter.Values.AsSpan(start, end - start);
        var g = parameter.Gradients.AsSpan(start, end - start);
        var m = _m[index].AsSpan(start, end - start);
        var v = _v[index].AsSpan(start, end - start);
        float b1 = _b1, c1 = _c1, b2 = _b2, c2 = _c2, scale = _stepScale, invBias2 = _invBias2, eps = _epsilon;
        var decay = parameter.Decays ? _decayScale : 0f;

        var i = 0;
        for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var gi = Vector256.Create(g.Slice(i));
            var mi = b1 * Vector256.Create(m.Slice(i)) + c1 * gi;
            var vi = b2 * Vector256.Create(v.Slice(i)) + c2 * (gi * gi);
            var wi = Vector256.Create(w.Slice(i));
            wi -= scale * mi / (Vector256.Sqrt(vi * invBias2) + Vector256.Create(eps)) + decay * wi;
            mi.CopyTo(m.Slice(i));
            vi.CopyTo(v.Slice(i));
            wi.CopyTo(w.Slice(i));
        }
        for (; i < w.Length; i++)
        {
            var gi = g[i];
            var mi = m[i] = b1 * m[i] + c1 * gi;
            var vi = v[i] = b2 * v[i] + c2 * (gi * gi);
            w[i] -= scale * mi / (MathF.Sqrt(vi * invBias2) + eps) + decay * w[i];
        }
    }
}
