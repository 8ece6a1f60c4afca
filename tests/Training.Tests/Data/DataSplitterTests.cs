using Training.Data;
using Training.Tests.Support;

namespace Training.Tests.Data;

public sealed class DataSplitterTests
{
    /// <summary>Samples whose first feature is their index, so a split can be traced back.</summary>
    private static DataSet Indexed(int count, int classes)
    {
        var features = Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, 0f }).ToArray();
        var labels = Enumerable.Range(0, count).Select(i => (i * 7) % classes).ToArray();
        return new DataSet(features, labels, 2, Enumerable.Range(0, classes).Select(c => c.ToString()).ToArray());
    }

    private static int[] Ids(DataSet data) => Enumerable.Range(0, data.Count).Select(i => (int)data.Sample(i)[0]).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Split_is_a_disjoint_cover_with_the_requested_size(bool stratified)
    {
        var data = Indexed(1000, 10);

        var split = DataSplitter.Split(data, 0.1, seed: 7, stratified);

        Assert.Equal(100, split.Validation.Count);
        Assert.Equal(900, split.Train.Count);
        Assert.Empty(Ids(split.Train).Intersect(Ids(split.Validation)));
        Assert.Equal(Enumerable.Range(0, 1000), Ids(split.Train).Concat(Ids(split.Validation)).Order());
        Assert.All(Ids(split.Validation), id => Assert.Equal(data.Labels[id], split.Validation.Labels[Array.IndexOf(Ids(split.Validation), id)]));
    }

    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var data = Indexed(500, 5);

        var first = Ids(DataSplitter.Split(data, 0.2, seed: 1).Validation);
        var again = Ids(DataSplitter.Split(data, 0.2, seed: 1).Validation);
        var other = Ids(DataSplitter.Split(data, 0.2, seed: 2).Validation);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Stratified_split_keeps_class_proportions()
    {
        var data = Indexed(1000, 4);

        var split = DataSplitter.Split(data, 0.1, seed: 3, stratified: true);

        Assert.Equal(data.ClassCounts().Select(c => (int)Math.Round(c * 0.1, MidpointRounding.AwayFromZero)), split.Validation.ClassCounts());
    }

    [Fact]
    public void Split_keeps_sources_for_lineage()
    {
        var source = new InputFileHash("/data/x", 3, "abc");
        var data = new DataSet([1, 2, 3, 4], [0, 1, 0, 1], 1, ["a", "b"], [source]);

        var split = DataSplitter.Split(data, 0.5, seed: 1);

        Assert.Equal([source], split.Train.Sources);
        Assert.Equal([source], split.Validation.Sources);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Fraction_outside_the_open_unit_interval_is_rejected(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplitter.Split(Indexed(10, 2), fraction, 1));
    }
}
