using System.Text.Json;
using System.Xml.Linq;
using Pipeline.LoadTesting.Histograms;
using Pipeline.LoadTesting.Reports;
using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.LoadTesting.Scheduling;
using Pipeline.LoadTesting.Thresholds;
using TestSupport;

namespace Pipeline.LoadTesting.Tests;

public sealed class ReportTests
{
    [Fact]
    public async Task Reports_are_written_and_parseable()
    {
        var calls = 0;
        LoadScenario scenario = async ct =>
        {
            await Task.Delay(Interlocked.Increment(ref calls) % 10 == 0 ? 30 : 2, ct);
            return calls % 25 == 0 ? RequestOutcome.Status(503, 5, 0) : RequestOutcome.Status(200, 5, 7);
        };
        var result = await new OpenModelRunner(TimeProvider.System).RunAsync(
            scenario, new OpenModelOptions(ArrivalRate.Ramp(50, 150, TimeSpan.FromSeconds(2))), CancellationToken.None);
        var thresholds = ThresholdEvaluator.Evaluate(result, ThresholdParser.ParseAll(["p(95)<200ms", "error_rate<0.001"]));
        using var directory = new TemporaryDirectory();

        await LoadTestReportWriter.WriteAsync(new LoadTestReport("Fashion-MNIST <serving>", result, thresholds), directory.Path, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(directory.File("report.json")));
        var root = json.RootElement;
        Assert.False(root.GetProperty("passed").GetBoolean()); // 1 in 25 answers is a 503
        Assert.Equal(result.Requests, root.GetProperty("requests").GetInt64());
        Assert.Equal(result.StatusCodes[503], root.GetProperty("statusCodes").GetProperty("503").GetInt64());
        Assert.Equal(result.Latency.P99.TotalMilliseconds, root.GetProperty("latencyMs").GetProperty("p99").GetDouble());
        Assert.Equal(2, root.GetProperty("thresholds").GetArrayLength());
        Assert.Equal(result.TimeSeries.Count, root.GetProperty("timeSeries").GetArrayLength());

        var markdown = await File.ReadAllTextAsync(directory.File("report.md"));
        Assert.Contains("**FAILED**", markdown);
        Assert.Contains("| `error_rate<0.001` |", markdown);
        Assert.Contains("| p99.9 |", markdown);

        // The HTML is well-formed XML (so the SVG renders), self-contained, and has both charts with real data.
        var html = XDocument.Parse((await File.ReadAllTextAsync(directory.File("report.html"))).Replace("<!DOCTYPE html>", ""));
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Equal(2, html.Descendants(svg + "svg").Count());
        Assert.Equal(3, html.Descendants(svg + "polyline").Count());
        Assert.Empty(html.Descendants("script"));
        Assert.Contains("Fashion-MNIST &lt;serving&gt;", html.ToString());
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp-*"));
    }

    [Fact]
    public async Task A_report_of_an_empty_run_is_still_valid()
    {
        var histogram = new LatencyHistogram();
        var result = ThresholdTests.ResultWith(histogram, 0, 1);
        var thresholds = ThresholdEvaluator.Evaluate(result, [ThresholdParser.Parse("p99<50ms")]);
        using var directory = new TemporaryDirectory();

        await LoadTestReportWriter.WriteAsync(new LoadTestReport("empty", result, thresholds), directory.Path, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(directory.File("report.json")));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("thresholds")[0].GetProperty("measured").ValueKind);
        XDocument.Parse((await File.ReadAllTextAsync(directory.File("report.html"))).Replace("<!DOCTYPE html>", ""));
    }
}
