using Pipeline.LoadTesting.Reports;

namespace Pipeline.LoadTesting.Tests;

/// <summary>Chart axes: a round top with headroom, so a steady series is visible below the frame, not on it.</summary>
public sealed class SvgChartTests
{
    [Theory]
    [InlineData(550, 600)]
    [InlineData(29.1, 30)]
    [InlineData(0.9, 1)]
    [InlineData(1, 1)]
    [InlineData(1001, 1200)]
    [InlineData(0, 1)]
    public void Axis_tops_are_the_next_round_number(double value, double expected) =>
        Assert.Equal(expected, SvgChart.NiceCeiling(value), 9);

    [Fact]
    public void A_steady_rate_is_drawn_below_the_top_of_its_axis()
    {
        var svg = new SvgChart("t", "second").Line("req/s", [(0, 500), (1, 500), (2, 500)], rightAxis: true).Render();

        Assert.Contains(">600</text>", svg);
        Assert.DoesNotContain(",30 ", svg + " "); // y = Top would mean the line sits on the frame
    }
}
