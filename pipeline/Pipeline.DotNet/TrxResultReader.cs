using System.Xml.Linq;

namespace Pipeline.DotNet;

/// <summary>
/// Reads Visual Studio test result files (.trx), the format every dotnet test adapter can write.
/// The counters are taken from the file's ResultSummary; failures from its UnitTestResult elements.
/// </summary>
public static class TrxResultReader
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static TestRunSummary Read(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"{path} is not a readable test result file: {e.Message}", e);
        }

        var counters = document.Root?.Element(Trx + "ResultSummary")?.Element(Trx + "Counters")
            ?? throw new InvalidDataException($"{path} has no TestRun/ResultSummary/Counters element; was it written by the trx logger?");

        int Count(string name) =>
            int.TryParse((string?)counters.Attribute(name), out var value) ? value : 0;

        var failures = document.Descendants(Trx + "UnitTestResult")
            .Where(r => (string?)r.Attribute("outcome") == "Failed")
            .Select(r => new FailedTest(
                (string?)r.Attribute("testName") ?? "(unnamed test)",
                FirstLine((string?)r.Element(Trx + "Output")?.Element(Trx + "ErrorInfo")?.Element(Trx + "Message") ?? "")))
            .ToList();

        var total = Count("total");
        var passed = Count("passed");
        // "failed" misses tests that errored or timed out; count every executed test that did not pass.
        var failed = Math.Max(Count("failed") + Count("error") + Count("timeout") + Count("aborted"), failures.Count);
        var skipped = Math.Max(0, total - passed - failed);
        return new TestRunSummary(total, passed, failed, skipped, failures, [path]);
    }

    public static TestRunSummary ReadAll(IEnumerable<string> paths) =>
        paths.Select(Read).Aggregate(TestRunSummary.Empty, (sum, next) => sum.Add(next));

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
