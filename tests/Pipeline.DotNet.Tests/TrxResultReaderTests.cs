using Pipeline.DotNet;

namespace Pipeline.DotNet.Tests;

public sealed class TrxResultReaderTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("trx-test-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string WriteTrx(string name, int passed, int failed, int notExecuted, params (string Test, string Message)[] failures)
    {
        var results = string.Concat(failures.Select(f =>
            $"""<UnitTestResult testName="{f.Test}" outcome="Failed"><Output><ErrorInfo><Message>{f.Message}</Message></ErrorInfo></Output></UnitTestResult>"""));
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>{results}</Results>
              <ResultSummary outcome="{(failed > 0 ? "Failed" : "Completed")}">
                <Counters total="{passed + failed + notExecuted}" executed="{passed + failed}" passed="{passed}" failed="{failed}" error="0" timeout="0" aborted="0" notExecuted="{notExecuted}" />
              </ResultSummary>
            </TestRun>
            """);
        return path;
    }

    [Fact]
    public void Adds_up_counts_and_failures_across_files()
    {
        var a = WriteTrx("a.trx", passed: 10, failed: 0, notExecuted: 0);
        var b = WriteTrx("b.trx", passed: 4, failed: 2, notExecuted: 1, ("T.One", "Assert.Equal() Failure\nExpected: 1"), ("T.Two", "boom"));

        var summary = TrxResultReader.ReadAll([a, b]);

        Assert.Equal(17, summary.Total);
        Assert.Equal(14, summary.Passed);
        Assert.Equal(2, summary.Failed);
        Assert.Equal(1, summary.Skipped);
        Assert.Equal(["T.One", "T.Two"], summary.Failures.Select(f => f.Name));
        Assert.Equal("Assert.Equal() Failure", summary.Failures[0].Message);
        Assert.Equal("14 passed, 2 failed, 1 skipped", summary.ClosingLine);
    }

    [Fact]
    public void Closing_line_has_no_skipped_part_when_nothing_was_skipped()
    {
        var summary = TrxResultReader.Read(WriteTrx("c.trx", passed: 3, failed: 0, notExecuted: 0));
        Assert.Equal("3 passed, 0 failed", summary.ClosingLine);
    }

    [Fact]
    public void A_file_without_counters_is_an_error_that_names_it()
    {
        var path = Path.Combine(directory, "broken.trx");
        File.WriteAllText(path, "<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\" />");
        var error = Assert.Throws<InvalidDataException>(() => TrxResultReader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("Counters", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_xml_is_an_error_that_names_it()
    {
        var path = Path.Combine(directory, "truncated.trx");
        File.WriteAllText(path, "<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\"><ResultSum");
        var error = Assert.Throws<InvalidDataException>(() => TrxResultReader.Read(path));
        Assert.Contains(path, error.Message);
    }
}
