using System.Globalization;
using Pipeline.Engine;
using Pipeline.Monitoring;
using Spectre.Console;

/// <summary>Writes what Monitor read: a Spectre table on a terminal, one plain line per version otherwise (CI logs, pipes).</summary>
static class MonitorView
{
    public static void Write(TargetContext ctx, int port, IReadOnlyList<ServingVersionStatus> versions, IReadOnlyList<PrometheusSample> firing)
    {
        if (versions.Count == 0)
            ctx.Log.WriteLine($"Prometheus on 127.0.0.1:{port} has no serving metrics yet: deploy a model (./build.sh Deploy) and send it requests.");
        else if (TrainingProgressView.IsInteractive(ctx))
            WriteTable(versions, port);
        else
            foreach (var v in versions)
                ctx.Log.WriteLine($"{v.Model} {v.Version}: {Rate(v.RequestsPerSecond)} req/s, p99 {Milliseconds(v.P99Seconds)}, 5xx {Percent(v.ErrorRatio)}, drift {Drift(v)}");

        foreach (var alert in firing)
            ctx.Log.WriteLine($"FIRING {alert.Label("alertname")} {string.Join(" ", alert.Labels.Where(l => l.Key is not ("__name__" or "alertname" or "alertstate")).OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))}");
        if (versions.Count > 0 && firing.Count == 0)
            ctx.Log.WriteLine("no alert firing");
    }

    static void WriteTable(IReadOnlyList<ServingVersionStatus> versions, int port)
    {
        // The engine routes Console.Out through its line-based log; the table goes to the terminal itself.
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true }),
        });
        var table = new Table().Title($"serving versions (Prometheus 127.0.0.1:{port}, last {ServingOverview.Window})")
            .AddColumns("model", "version", "req/s", "p99", "5xx", "drift PSI (max per quantity)");
        foreach (var v in versions)
            table.AddRow(Markup.Escape(v.Model), Markup.Escape(v.Version), Rate(v.RequestsPerSecond), Milliseconds(v.P99Seconds),
                v.ErrorRatio > 0.01 ? $"[red]{Percent(v.ErrorRatio)}[/]" : Percent(v.ErrorRatio),
                v.MaxDriftPsi > 0.25 ? $"[red]{Markup.Escape(Drift(v))}[/]" : Markup.Escape(Drift(v)));
        terminal.Write(table);
    }

    static string Rate(double value) => double.IsNaN(value) ? "-" : value.ToString("F1", CultureInfo.InvariantCulture);

    static string Milliseconds(double seconds) => double.IsNaN(seconds) ? "-" : (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture) + " ms";

    static string Percent(double ratio) => double.IsNaN(ratio) ? "-" : (ratio * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";

    static string Drift(ServingVersionStatus v) => v.DriftPsi.Count == 0
        ? "-"
        : string.Join(", ", v.DriftPsi.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value.ToString("F3", CultureInfo.InvariantCulture)}"));
}
