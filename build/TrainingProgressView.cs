using Pipeline.Engine;
using Spectre.Console;
using Training;

/// <summary>
/// Shows training progress: a live Spectre progress bar (epochs, batches, loss, validation accuracy) on a terminal,
/// one plain line per epoch otherwise (CI logs, pipes, GitHub Actions).
/// </summary>
sealed class TrainingProgressView : IProgress<EpochReport>, IProgress<BatchProgress>
{
    readonly TargetContext _ctx;
    ProgressTask? _epochs;
    ProgressTask? _batches;
    IAnsiConsole? _terminal;

    TrainingProgressView(TargetContext ctx) => _ctx = ctx;

    public static bool IsInteractive(TargetContext ctx) =>
        !Console.IsOutputRedirected && !ctx.IsGitHubActions &&
        !(ctx.Environment.TryGetValue("TERM", out var term) && term == "dumb") &&
        !ctx.Environment.ContainsKey("CI");

    /// <summary>Runs <paramref name="work"/> with this view receiving its progress.</summary>
    public static async Task<T> RunAsync<T>(TargetContext ctx, int maxEpochs, Func<TrainingProgressView, Task<T>> work)
    {
        var view = new TrainingProgressView(ctx);
        if (!IsInteractive(ctx))
            return await work(view);

        // The engine routes Console.Out through its line-based log; a live display needs the terminal itself.
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true }),
        });
        view._terminal = terminal;
        T result = default!;
        await terminal.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                view._epochs = progress.AddTask("epochs", maxValue: maxEpochs);
                view._batches = progress.AddTask("epoch 1", maxValue: 1);
                result = await work(view);
                view._epochs.Value = view._epochs.MaxValue;
                view._batches.StopTask();
            });
        return result;
    }

    public void Report(EpochReport e)
    {
        var line = $"epoch {e.Epoch,2}/{e.MaxEpochs}  train loss {e.TrainLoss:F4}  val loss {e.ValidationLoss:F4}  " +
                   $"val acc {e.ValidationAccuracy:P2}  lr {e.LearningRate:E1}  {e.EpochDuration.TotalSeconds:F1} s{(e.IsBest ? "  *best" : "")}";
        if (_epochs is null)
        {
            _ctx.Log.WriteLine(line);
            return;
        }
        _epochs.Value = e.Epoch;
        _epochs.Description = Markup.Escape($"epochs (val acc {e.ValidationAccuracy:P2}, val loss {e.ValidationLoss:F4})");
        // Lines written through the same console scroll above the live bars instead of tearing them.
        _terminal?.WriteLine(line);
    }

    public void Report(BatchProgress b)
    {
        if (_batches is null) return;
        _batches.MaxValue = b.BatchCount;
        _batches.Value = b.Batch;
        _batches.Description = Markup.Escape($"epoch {b.Epoch}/{b.MaxEpochs} loss {b.RunningTrainLoss:F4}");
    }
}
