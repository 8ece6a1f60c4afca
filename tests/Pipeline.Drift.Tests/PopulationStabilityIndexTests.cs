using Pipeline.Drift;

namespace Pipeline.Drift.Tests;

/// <summary>PSI values against hand-computed ones.</summary>
public sealed class PopulationStabilityIndexTests
{
    [Fact]
    public void Identical_distributions_score_zero() =>
        Assert.Equal(0, PopulationStabilityIndex.Compute([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 12);

    [Fact]
    public void Matches_the_formula()
    {
        var expected = (0.5 - 0.25) * Math.Log(0.5 / 0.25) + (0.5 - 0.75) * Math.Log(0.5 / 0.75);
        Assert.Equal(expected, PopulationStabilityIndex.Compute([0.25, 0.75], [0.5, 0.5]), 12);
    }

    [Fact]
    public void Empty_bins_are_floored_so_the_score_stays_finite()
    {
        var psi = PopulationStabilityIndex.Compute([0.5, 0.5, 0], [0, 0, 1]);
        var floor = PopulationStabilityIndex.Floor;
        var expected = 2 * (floor - 0.5) * Math.Log(floor / 0.5) + (1 - floor) * Math.Log(1 / floor);
        Assert.Equal(expected, psi, 9);
        Assert.True(psi > PopulationStabilityIndex.SignificantShift);
    }

    [Fact]
    public void FromCounts_normalises_and_refuses_mismatched_bins()
    {
        Assert.Equal(PopulationStabilityIndex.Compute([0.25, 0.75], [0.5, 0.5]), PopulationStabilityIndex.FromCounts([0.25, 0.75], [7, 7]), 12);
        Assert.Throws<ArgumentException>(() => PopulationStabilityIndex.Compute([1], [0.5, 0.5]));
        Assert.Throws<ArgumentException>(() => PopulationStabilityIndex.FromCounts([1], [0]));
    }
}
