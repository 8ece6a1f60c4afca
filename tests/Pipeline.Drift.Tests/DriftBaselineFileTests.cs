using Pipeline.Drift;
using TestSupport;

namespace Pipeline.Drift.Tests;

/// <summary>The baseline file round-trips, and broken files are refused with the file and the problem named.</summary>
public sealed class DriftBaselineFileTests
{
    private static DriftBaseline Sample() => new("penguins", "3", DriftBaseline.TrainingRows, 4, ["input 'island' is a string input; skipped"],
    [
        DriftBaselineBuilder.InputMean("bill_length_mm", [39.1, 40.3, 47.5, 50.0], bins: 2),
        DriftBaselineBuilder.PredictedClass(["Adelie", "Gentoo"], ["Adelie", "Adelie", "Gentoo", "Gentoo"]),
    ]);

    [Fact]
    public async Task Round_trips_through_the_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File(DriftBaseline.FileName);
        var baseline = Sample();
        await DriftBaselineFile.WriteAsync(path, baseline, CancellationToken.None);
        var read = await DriftBaselineFile.ReadAsync(path, CancellationToken.None);
        Assert.Equal(baseline.Model, read.Model);
        Assert.Equal(baseline.Notes, read.Notes);
        Assert.Equal(baseline.Quantities.Count, read.Quantities.Count);
        for (var i = 0; i < baseline.Quantities.Count; i++)
        {
            Assert.Equal(baseline.Quantities[i].Name, read.Quantities[i].Name);
            Assert.Equal(baseline.Quantities[i].Kind, read.Quantities[i].Kind);
            Assert.Equal(baseline.Quantities[i].Edges, read.Quantities[i].Edges);
            Assert.Equal(baseline.Quantities[i].Labels, read.Quantities[i].Labels);
            Assert.Equal(baseline.Quantities[i].Fractions, read.Quantities[i].Fractions);
        }
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("""{"schema":1,"model":"m","version":"1","reference_source":"test","reference_rows":1}""", "\"quantities\" is missing")]
    [InlineData("""{"schema":2}""", "schema 1")]
    [InlineData("""{"schema":1,"model":"m","version":"1","reference_source":"test","reference_rows":1,"quantities":[{"name":"input:x:mean","kind":"input_mean","input":"x","edges":[1],"fractions":[0.5,0.6]}]}""", "sum to")]
    [InlineData("""{"schema":1,"model":"m","version":"1","reference_source":"test","reference_rows":1,"quantities":[{"name":"input:x:mean","kind":"input_mean","input":"x","edges":[2,1],"fractions":[0.5,0.5,0]}]}""", "must not decrease")]
    public async Task A_broken_file_is_refused_naming_the_file_and_the_problem(string content, string problem)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File(DriftBaseline.FileName);
        await File.WriteAllTextAsync(path, content);
        var e = await Assert.ThrowsAsync<DriftBaselineException>(() => DriftBaselineFile.ReadAsync(path, CancellationToken.None));
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("nope.json");
        var e = await Assert.ThrowsAsync<DriftBaselineException>(() => DriftBaselineFile.ReadAsync(path, CancellationToken.None));
        Assert.Contains(path, e.Message);
    }
}
