using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Training.Compute;

namespace Training.Optimization;

/// <summary>
/// SGD with momentum and COUPLED L2 weight decay (the decay is added to the gradient):
/// g' = g + wd w;  u = mu u + g';  w -= lr (Nesterov ? g' + mu u : u).
/// </summary>
public sealed class SgdOptimizer : IOptimizer
{
    private readonly IReadOnlyList<ParameterTensor> _parameters;
    private readonly float[][] _velocity;
    private readonly float _momentum, _weightDecay;
    private readonly bool _nesterov;
    private readonly WorkerPool? _pool;
    private readonly ElementwiseUpdate _work;
    private float _learningRate;

    public SgdOptimizer(IReadOnlyList<ParameterTensor> parameters, double momentum = 0.9, bool nesterov = true, double weightDecay = 0, WorkerPool? pool = null)
    {
        if (momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum must be in [0, 1), got {momentum}.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Weight decay must not be negative, got {weightDecay}.");
        _parameters = parameters;
        _velocity = parameters.Select(p => new float[p.Length]).ToArray();
        (_momentum, _nesterov, _weightDecay, _pool) = ((float)momentum, nesterov, (float)weightDecay, pool);
        _work = new ElementwiseUpdate(parameters, Update);
    }

    public void Step(double learningRate)
    {
        _learningRate = (float)learningRate;
        _work.Run(_pool);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Update(int index, int start, int end)
    {
        var parameter = _parameters[index];
        var w = parameter.Values.AsSpan(start, end - start);
        var g = parameter.Gradients.AsSpan(start, end - start);
        var u = _velocity[index].AsSpan(start, end - start);
        float mu = _momentum, lr = _learningRate, decay = parameter.Decays ? _weightDecay : 0f;
        var nesterov = _nesterov;

        var i = 0;
        for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var wi = Vector256.Create(w.Slice(i));
            var gi = Vector256.Create(g.Slice(i)) + decay * wi;
            var ui = mu * Vector256.Create(u.Slice(i)) + gi;
            wi -= lr * (nesterov ? gi + mu * ui : ui);
            ui.CopyTo(u.Slice(i));
            wi.CopyTo(w.Slice(i));
        }
        for (; i < w.Length; i++)
        {
            var gi = g[i] + decay * w[i];
            var ui = u[i] = mu * u[i] + gi;
            w[i] -= lr * (nesterov ? gi + mu * ui : ui);
        }
    }
}
