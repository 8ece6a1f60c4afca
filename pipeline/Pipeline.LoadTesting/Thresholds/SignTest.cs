namespace Pipeline.LoadTesting.Thresholds;

/// <summary>
/// The one-sided sign test the relative thresholds decide by: if candidate and baseline were alike, each paired window
/// would be past the limit at most half the time, so k of n windows past it happen by chance with probability
/// P(Binomial(n, ½) ≥ k). A regression needs that probability at or below 5 %.
/// </summary>
public static class SignTest
{
    public const double Significance = 0.05;

    /// <summary>The fewest of <paramref name="windows"/> windows past the limit that chance explains at most 5 % of the time (n + 1 when none can).</summary>
    public static int WindowsNeeded(int windows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windows);
        // Tail probabilities summed from k = n downwards, in doubles: exact enough for any run's window count.
        var tail = 0.0;
        var choose = 1.0;   // C(n, n)
        for (var k = windows; k >= 0; k--)
        {
            if (k < windows) choose = choose * (k + 1) / (windows - k);   // C(n, k) from C(n, k + 1)
            tail += choose * Math.Pow(0.5, windows);
            if (tail > Significance) return k + 1;
        }
        return 0;
    }
}
