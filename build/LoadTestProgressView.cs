using Pipeline.Engine;
using Pipeline.Stages;
using Spectre.Console;

/// <summary>
/// Shows a running load test: a live Spectre bar over the schedule (completed, errors, in flight, achieved rate) on a
/// terminal, a plain line every five seconds otherwise (CI logs, pipes, GitHub Actions).
/// </summary>
sealed class LoadTestProgressView : ILoadTestProgress
{
    static readonly TimeSpan PlainLineInterval = TimeSpan.FromSeconds(5);

    readonly TargetContext _ctx;
    ProgressTask? _bar;
    TimeSpan? _lastPlainLine;
    (TimeSpan Elapsed, long Completed) _previous;
    double _rate;

    LoadTestProgressView(TargetContext ctx) => _ctx = ctx;

    public static async Task<T> RunAsync<T>(TargetContext ctx, Func<LoadTestProgressView, Task<T>> work)
    {
        var view = new LoadTestProgressView(ctx);
        if (!TrainingProgressView.IsInteractive(ctx))
            return await work(view);

        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true }),
        });
        T result = default!;
        await terminal.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                view._bar = progress.AddTask("load test", maxValue: 1);
                result = await work(view);
                view._bar.StopTask();
            });
        return result;
    }

    public void Report(LoadTestProgressSample s)
    {
        // The rate over the last second or more; the final sample can come a moment after the one before it.
        var interval = s.Elapsed - _previous.Elapsed;
        var rate = interval >= TimeSpan.FromSeconds(0.9) ? (s.Completed - _previous.Completed) / interval.TotalSeconds : _rate;
        (_previous, _rate) = ((s.Elapsed, s.Completed), rate);
        var text = $"{(s.WarmingUp ? "warm-up" : "measuring")} {s.Elapsed.TotalSeconds,5:0.0}/{s.Total.TotalSeconds:0} s  " +
                   $"{s.Completed} done ({rate:0} req/s)  {s.Errors} errors  {s.InFlight} in flight";
        if (_bar is not null)
        {
            _bar.MaxValue = s.Total.TotalSeconds;
            _bar.Value = s.Elapsed.TotalSeconds;
            _bar.Description = Markup.Escape(text);
            return;
        }
        if (_lastPlainLine is { } last && s.Elapsed - last < PlainLineInterval && s.Elapsed < s.Total) return;
        _lastPlainLine = s.Elapsed;
        _ctx.Log.WriteLine(text);
    }
}
