using Pipeline.ModelRegistry.Reporting;

namespace Pipeline.ModelRegistry.Tests;

public sealed class ModelRegistryTableTests : IDisposable
{
    private readonly TestRegistryDirectory _directory = new();

    [Fact]
    public async Task The_table_shows_metrics_gate_verdicts_and_where_each_version_runs()
    {
        using var registry = _directory.Open();
        var good = await registry.RegisterAsync(Registrations.Passing(_directory.WriteModel("a"), accuracy: 0.8873) with
        {
            Labels = new Dictionary<string, string> { ["candidate"] = "int8" },
        });
        var bad = await registry.RegisterAsync(Registrations.Failing(_directory.WriteModel("b")));
        await registry.PromoteAsync("local", good.VersionId, "CI run 12 | green", null);
        await registry.PromoteAsync("kubernetes", good.VersionId, "CI run 12", null);

        var text = ModelRegistryTable.Render(await registry.ListVersionsAsync(), await registry.ListEnvironmentsAsync(), ["accuracy"]);
        var lines = text.Split(Environment.NewLine);

        var goodRow = Assert.Single(lines, line => line.StartsWith($"| {good.VersionId} "));
        var badRow = Assert.Single(lines, line => line.StartsWith($"| {bad.VersionId} "));
        Assert.Equal(["1.0.1+3f2a9c1", "fashion-mnist", "2025-03-14 09:26", "0.8873", "passed 1/1", "candidate=int8", good.Sha256[..12], "kubernetes, local"], Cells(goodRow));
        Assert.Equal(["0.71", "FAILED 1/1: accuracy", "candidate=fp32", bad.Sha256[..12], "-"], Cells(badRow)[3..]);
        Assert.True(lines.IndexOf(badRow) < lines.IndexOf(goodRow), "newest version first");
        Assert.Contains(lines, line => Cells(line) is ["local", "1.0.1+3f2a9c1", "2025-03-14 09:26", "1", @"Promoted: CI run 12 \| green"]);
        Assert.All(lines.TakeWhile(line => !line.StartsWith("## Environments")).Where(line => line.StartsWith('|')),
            line => Assert.Equal(goodRow.Length, line.Length));
    }

    [Fact]
    public void An_empty_registry_says_so()
    {
        var text = ModelRegistryTable.Render([], []);

        Assert.Contains("No model versions are registered yet.", text);
        Assert.Contains("No version has been promoted to any environment yet.", text);
    }

    private static string[] Cells(string row) =>
        System.Text.RegularExpressions.Regex.Split(row.Trim().Trim('|'), @"(?<!\\)\|").Select(cell => cell.Trim()).ToArray();

    public void Dispose() => _directory.Dispose();
}
