using Spectre.Console;

namespace Pipeline.Engine;

/// <summary>
/// One run, start to finish: discover parameters, parse arguments, find the root, resolve and inject parameters, define
/// targets, plan, then print help or the plan, or execute and summarize. Configuration errors end the run before any
/// target starts.
/// </summary>
internal sealed class BuildSession(Func<BuildDefinition> createBuild, IReadOnlyList<string> args, BuildRunSettings settings)
{
    private readonly IAnsiConsole _console = settings.Console
        ?? ConsoleFactory.ForWriter(settings.Output ?? throw new ArgumentException("BuildRunSettings needs a Console or an Output writer.", nameof(settings)));

    private readonly GitHubActions? _gitHubActions = GitHubActions.Detect(settings.Environment);
    private OutputSink _sink = null!;
    private Verbosity _verbosity = Verbosity.Normal;
    private BuildResult _result = new(ExitCodes.InvalidConfiguration);

    public async Task<BuildResult> RunAsync(CancellationToken cancellationToken)
    {
        _sink = new OutputSink(_console, SecretMasker.None);
        try
        {
            return await RunCoreAsync(cancellationToken);
        }
        catch (BuildConfigurationException exception)
        {
            var errors = exception.Errors.Select(_sink.Masker.Apply).ToArray();
            var reporter = new ExecutionReporter(_sink, _verbosity, parallel: false, _gitHubActions);
            foreach (var error in errors)
            {
                reporter.Error(error);
            }

            return _result with { ExitCode = ExitCodes.InvalidConfiguration, Errors = errors };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _sink.WriteLine("Build cancelled.");
            return _result with { ExitCode = ExitCodes.Cancelled };
        }
        catch (Exception exception)
        {
            // An I/O failure or an engine bug: say what happened, and fail like a failed target would.
            var error = _sink.Masker.Apply(ExceptionText.Describe(ExceptionText.Unwrap(exception), withStackTrace: true));
            new ExecutionReporter(_sink, _verbosity, parallel: false, _gitHubActions).Error($"Unexpected error: {error}");
            return _result with { ExitCode = ExitCodes.BuildFailed, Errors = [error] };
        }
        finally
        {
            _sink.Flush();
        }
    }

    private async Task<BuildResult> RunCoreAsync(CancellationToken cancellationToken)
    {
        var build = CreateBuild();
        var parameterDescriptors = ParameterDiscovery.Discover(build);
        var arguments = ArgumentParser.Parse(args, parameterDescriptors);
        _verbosity = arguments.Verbosity;
        var root = ResolveRoot(arguments.Root);
        build.Initialize(new BuildEnvironment(root, settings.Environment));
        var files = ParametersFileLoader.Load(root, arguments.Profiles);
        var parameters = new ParameterResolver(parameterDescriptors, new ValueParser(root))
            .Resolve(arguments.Parameters, settings.Environment, files);
        var masker = new SecretMasker(parameters.Where(parameter => parameter.Descriptor.IsSecret).SelectMany(parameter => ValueFormatter.Elements(parameter.Value)));
        _sink = new OutputSink(_console, masker);
        foreach (var parameter in parameters.Where(parameter => parameter.Source.Kind != ParameterSourceKind.Default))
        {
            parameter.Descriptor.Assign(build, parameter.Value);
        }

        var graph = TargetDiscovery.CreateGraph(build, parameterDescriptors);
        _result = _result with { Graph = graph, Parameters = parameters };
        if (arguments.Help || (arguments.Targets.Count == 0 && graph.DefaultTarget is null))
        {
            HelpPrinter.Print(graph, parameters, _sink);
            return _result with { ExitCode = ExitCodes.Success };
        }

        var plan = ExecutionPlanner.Plan(graph, new PlanRequest(arguments.Targets.Count > 0 ? arguments.Targets : [graph.DefaultTarget!])
        {
            SkipAllNotInvoked = arguments.Skip is { Count: 0 },
            SkippedTargets = arguments.Skip ?? [],
        });
        _result = _result with { Plan = plan };
        var checker = new UpToDateChecker(root, new FingerprintStore(root));
        if (arguments.Plan || arguments.PlanJson)
        {
            var previews = await PlanPreview.CreateAsync(plan, checker, arguments.Force, cancellationToken);
            if (arguments.PlanJson)
            {
                _sink.WriteLine(PlanJsonWriter.Write(plan, previews, parameters, masker));
            }
            else
            {
                PlanPrinter.Print(previews, _sink);
            }

            return _result with { ExitCode = ExitCodes.Success };
        }

        // A broken or missing project file must fail before anything runs, not as a target failing half-way through.
        // (--plan only previews, and shows the problem as the target's reason.)
        foreach (var planned in plan.Targets.Where(target => target.Action == PlannedAction.Run && target.Target.CodeInputs.Count > 0))
        {
            ProjectClosure.Projects(planned.Target.CodeInputs, root, planned.Name);
        }

        var summary = await ExecuteAsync(plan, checker, arguments, new RunServices(root, settings.Environment, _gitHubActions, masker), cancellationToken);
        return _result with { ExitCode = summary.ExitCode, Summary = summary };
    }

    private async Task<RunSummary> ExecuteAsync(ExecutionPlan plan, UpToDateChecker checker, ParsedArguments arguments, RunServices services, CancellationToken cancellationToken)
    {
        var parallelism = arguments.Parallel ? arguments.ParallelDegree ?? settings.MaxParallelism ?? Environment.ProcessorCount : 1;
        var reporter = new ExecutionReporter(_sink, _verbosity, parallelism > 1, _gitHubActions);
        if (_verbosity == Verbosity.Verbose)
        {
            PrintPlanningDetails(plan, services.RootDirectory, parallelism);
            PlanPrinter.Print(await PlanPreview.CreateAsync(plan, checker, arguments.Force, cancellationToken), _sink);
        }

        RunSummary summary;
        using (var capture = settings.CaptureConsoleOutput ? new ConsoleCapture() : null)
        await using (cancellationToken.Register(() => reporter.Info("Cancellation requested: aborting running targets; assured targets still run.")))
        {
            var runner = new TargetRunner(services, checker, reporter, capture, arguments.Force, _verbosity);
            summary = await new BuildExecutor(plan, runner, reporter, parallelism).ExecuteAsync(cancellationToken);
        }

        SummaryPrinter.Print(summary, _sink);
        if (_gitHubActions?.AppendStepSummary(SummaryPrinter.ToMarkdown(summary, services.Masker)) == false && _verbosity == Verbosity.Verbose)
        {
            reporter.Info("GITHUB_STEP_SUMMARY is not set; the summary was not added to the job summary.");
        }

        return summary;
    }

    private BuildDefinition CreateBuild()
    {
        try
        {
            return createBuild();
        }
        catch (Exception exception)
        {
            var error = ExceptionText.Unwrap(exception);
            throw new BuildConfigurationException($"Creating the build failed: {error.GetType().Name}: {error.Message}");
        }
    }

    private void PrintPlanningDetails(ExecutionPlan plan, AbsolutePath root, int parallelism)
    {
        _sink.WriteLine($"Root directory: {root}");
        _sink.WriteLine($"Invoked: {string.Join(", ", plan.Invoked)}; parallelism: {parallelism}");
        foreach (var parameter in _result.Parameters)
        {
            _sink.WriteLine($"Parameter {parameter.Descriptor.Name} = {parameter.DisplayValue} ({parameter.Source.Label})");
        }
    }

    private AbsolutePath ResolveRoot(string? fromArguments)
    {
        var explicitRoot = fromArguments ?? settings.RootDirectory;
        if (explicitRoot is not null)
        {
            var baseDirectory = settings.WorkingDirectory ?? Directory.GetCurrentDirectory();
            var root = AbsolutePath.Create(Path.GetFullPath(explicitRoot, baseDirectory));
            return root.DirectoryExists()
                ? root
                : throw new BuildConfigurationException($"Root directory {root} does not exist.");
        }

        var start = settings.WorkingDirectory ?? Directory.GetCurrentDirectory();
        return RootDirectoryLocator.Find(start)
               ?? throw new BuildConfigurationException(
                   $"Could not find the build root: no .nuke directory in {start} or any parent. Create one at the repository root (mkdir .nuke) or pass --root <dir>.");
    }
}
