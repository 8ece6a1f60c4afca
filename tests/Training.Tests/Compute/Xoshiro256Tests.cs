using Training.Compute;

namespace Training.Tests.Compute;

public sealed class Xoshiro256Tests
{
    [Fact]
    public void Matches_the_reference_algorithms()
    {
        // SplitMix64 from state 0 and xoshiro256** from state {1, 2, 3, 4}: published reference outputs.
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, Xoshiro256.SplitMix64(ref state));
        var rng = Xoshiro256.FromState(1, 2, 3, 4);
        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void Streams_of_one_seed_differ_and_repeat()
    {
        var split = Xoshiro256.ForStream(42, RandomStream.Split);
        var shuffle = Xoshiro256.ForStream(42, RandomStream.Shuffle);
        var splitAgain = Xoshiro256.ForStream(42, RandomStream.Split);

        var a = split.NextUInt64();
        Assert.NotEqual(a, shuffle.NextUInt64());
        Assert.Equal(a, splitAgain.NextUInt64());
    }

    [Fact]
    public void Bounded_integers_are_in_range_and_roughly_uniform()
    {
        var rng = new Xoshiro256(9);
        var counts = new int[7];
        for (var i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Unit_floats_stay_in_the_half_open_interval()
    {
        var rng = new Xoshiro256(3);
        for (var i = 0; i < 10_000; i++) Assert.InRange(rng.NextSingle(), 0f, 0.99999994f);
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation()
    {
        int[] Shuffled(ulong seed)
        {
            var rng = new Xoshiro256(seed);
            var values = Enumerable.Range(0, 50).ToArray();
            rng.Shuffle(values);
            return values;
        }

        Assert.Equal(Enumerable.Range(0, 50), Shuffled(1).Order());
        Assert.Equal(Shuffled(1), Shuffled(1));
        Assert.NotEqual(Shuffled(1), Shuffled(2));
    }
}
