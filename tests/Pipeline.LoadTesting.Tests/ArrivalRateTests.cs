using Pipeline.LoadTesting.Scheduling;

namespace Pipeline.LoadTesting.Tests;

/// <summary>Arrival schedules computed exactly, without running anything.</summary>
public sealed class ArrivalRateTests
{
    [Fact]
    public void A_constant_rate_sends_rate_times_duration_requests()
    {
        Assert.Equal(250, ArrivalRate.Constant(50, TimeSpan.FromSeconds(5)).Count);
    }

    [Fact]
    public void A_sequence_ramps_up_then_holds_with_offsets_continuing_across_stages()
    {
        // 0→100/s over 2 s sends 100 requests, then 100/s for 3 s sends 300 more.
        var schedule = ArrivalRate.Sequence(ArrivalRate.Ramp(0, 100, TimeSpan.FromSeconds(2)), ArrivalRate.Constant(100, TimeSpan.FromSeconds(3)));

        Assert.Equal(TimeSpan.FromSeconds(5), schedule.Duration);
        Assert.InRange(schedule.Count, 399, 401);
        var firstOfHold = ArrivalRate.Ramp(0, 100, TimeSpan.FromSeconds(2)).Count;
        Assert.Equal(2.0, schedule.OffsetOf(firstOfHold)!.Value.TotalSeconds, 6);
        Assert.Equal(2.5, schedule.OffsetOf(firstOfHold + 50)!.Value.TotalSeconds, 6);
        Assert.Null(schedule.OffsetOf(schedule.Count));
        // Offsets never go backwards, across the stage boundary too.
        var previous = TimeSpan.Zero;
        for (long i = 0; i < schedule.Count; i++)
        {
            var offset = schedule.OffsetOf(i)!.Value;
            Assert.True(offset >= previous, $"request {i} at {offset} is before request {i - 1} at {previous}");
            previous = offset;
        }
    }

    [Fact]
    public void An_empty_sequence_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ArrivalRate.Sequence());
    }
}
