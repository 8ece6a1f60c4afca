using System.Runtime.CompilerServices;
using Training.Compute;

namespace Training.Networks;

/// <summary>
/// Inverted dropout masks: each element is 0 with probability p, else 1/(1-p), so expected activations are
/// unchanged and inference needs no rescaling. Four 16-bit uniforms come from each 64-bit draw (the keep
/// probability is thereby quantized to 1/65536), which makes masks cheap enough to draw every batch.
/// </summary>
internal sealed class DropoutMask
{
    private readonly uint _dropBelow;
    private readonly float _keepScale;

    public DropoutMask(double probability)
    {
        _dropBelow = (uint)Math.Round(probability * 65536);
        _keepScale = (float)(1.0 / (1.0 - probability));
    }

    public bool Active => _dropBelow > 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(Span<float> mask, ref Xoshiro256 rng)
    {
        var i = 0;
        while (i < mask.Length)
        {
            var bits = rng.NextUInt64();
            for (var part = 0; part < 4 && i < mask.Length; part++, i++, bits >>= 16)
                mask[i] = (uint)(bits & 0xFFFF) < _dropBelow ? 0f : _keepScale;
        }
    }
}
