using System.Diagnostics;

namespace Pipeline.Engine;

/// <summary>
/// Runs one target that the scheduler decided may start: evaluates dynamic conditions, checks freshness of incremental
/// targets, runs the actions with the target's log and console routing, verifies outputs and records the fingerprint.
/// </summary>
internal sealed class TargetRunner(
    RunServices services,
    UpToDateChecker checker,
    ExecutionReporter reporter,
    ConsoleCapture? capture,
    bool force,
    Verbosity verbosity)
{
    /// <param name="rebuiltDependencies">Incremental targets in the target's DependsOn that ran (were not up to date) in this build.</param>
    public async Task<TargetResult> RunAsync(TargetDescriptor target, IReadOnlyList<string> rebuiltDependencies, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        string? runReason;
        InputSnapshot? snapshot;
        try
        {
            if (DynamicSkipReason(target) is { } skipReason)
            {
                return Report(new TargetResult(target.Name, TargetStatus.Skipped, skipReason, stopwatch.Elapsed), started: false);
            }

            (runReason, snapshot) = (null, null);
            if (target.IsIncremental && force)
            {
                (runReason, snapshot) = ("forced by --force", await checker.SnapshotInputsAsync(target, cancellationToken));
            }
            else if (target.IsIncremental)
            {
                var freshness = await checker.CheckAsync(target, rebuiltDependencies, cancellationToken);
                if (freshness.IsUpToDate)
                {
                    return Report(new TargetResult(target.Name, TargetStatus.UpToDate, freshness.Reason, stopwatch.Elapsed), started: false);
                }

                (runReason, snapshot) = (freshness.Reason, freshness.Snapshot);
            }
        }
        catch (Exception exception)
        {
            var status = cancellationToken.IsCancellationRequested ? TargetStatus.Aborted : TargetStatus.Failed;
            return Report(new TargetResult(target.Name, status, null, stopwatch.Elapsed, ExceptionText.Unwrap(exception)), started: false);
        }

        reporter.TargetStarted(target.Name, runReason);
        var log = new TargetLogWriter(target.Name, reporter.TargetOutput);
        TargetResult result;
        try
        {
            await ExecuteActionsAsync(target, log, runReason, cancellationToken);
            VerifyOutputs(target);
            if (target.IsIncremental)
            {
                await checker.RecordAsync(target, snapshot!, cancellationToken);
            }

            result = new TargetResult(target.Name, TargetStatus.Succeeded, runReason, stopwatch.Elapsed);
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested)
        {
            log.WriteLine($"Aborted: {ExceptionText.Unwrap(exception).Message}");
            result = new TargetResult(target.Name, TargetStatus.Aborted, "cancelled", stopwatch.Elapsed, ExceptionText.Unwrap(exception));
        }
        catch (Exception exception)
        {
            var error = ExceptionText.Unwrap(exception);
            log.WriteLine(ExceptionText.Describe(error, withStackTrace: verbosity == Verbosity.Verbose));
            result = new TargetResult(target.Name, TargetStatus.Failed, null, stopwatch.Elapsed, error);
        }

        log.Flush();
        return Report(result, started: true);
    }

    private async Task ExecuteActionsAsync(TargetDescriptor target, TargetLogWriter log, string? runReason, CancellationToken cancellationToken)
    {
        if (target.IsIncremental)
        {
            // A run that fails half-way must not leave a record that makes its partial outputs look up to date.
            checker.Store.Delete(target.Name);
        }

        var context = new TargetContext(
            target.Name, log, services.RootDirectory, services.Environment, runReason, force, services.GitHubActions, services.Masker, cancellationToken);
        using var routing = capture?.Enter(log);
        foreach (var action in target.Behavior.Actions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await action(context, cancellationToken);
        }
    }

    private void VerifyOutputs(TargetDescriptor target)
    {
        var missing = checker.MissingOutputs(target);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Target {target.Name} finished but did not produce its declared output(s): {string.Join(", ", missing)}. " +
                "Fix the target or its .Outputs(...).");
        }
    }

    private static string? DynamicSkipReason(TargetDescriptor target)
    {
        foreach (var condition in target.Behavior.DynamicConditions)
        {
            bool holds;
            try
            {
                holds = condition.Evaluate();
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException(
                    $"OnlyWhenDynamic({condition.Text}) threw {exception.GetType().Name}: {exception.Message}", exception);
            }

            if (!holds)
            {
                return $"condition false: {condition.Text}";
            }
        }

        return null;
    }

    private TargetResult Report(TargetResult result, bool started)
    {
        reporter.TargetFinished(result, started);
        return result;
    }
}
