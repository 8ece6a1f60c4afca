namespace Pipeline.DotNet;

/// <summary>The dotnet CLI as the build uses it: build a solution, run its tests and count the results.</summary>
public sealed class DotNetCli(IProcessRunner runner, Action<string> log, string dotnet = "dotnet")
{
    public async Task BuildAsync(string target, string configuration, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            new ProcessSpec(dotnet, "build", target, "-c", configuration, "--nologo", "-v", "q", "-clp:NoSummary"),
            cancellationToken);
        if (!result.Succeeded)
            throw new DotNetCommandException($"dotnet build {Path.GetFileName(target)} failed (exit code {result.ExitCode}); the compiler errors are above.");
    }

    /// <summary>
    /// Publishes a project self-contained and trimmed for one runtime, so the result runs on a bare base image
    /// (no .NET install) and stays small.
    /// </summary>
    public async Task PublishAsync(string project, string outputDirectory, string runtime, CancellationToken cancellationToken)
    {
        if (Directory.Exists(outputDirectory))
            Directory.Delete(outputDirectory, recursive: true);
        var result = await RunAsync(new ProcessSpec(dotnet, "publish", project, "-c", "Release", "-r", runtime, "--self-contained",
            "-p:PublishTrimmed=true", "-o", outputDirectory, "--nologo", "-v", "q", "-clp:NoSummary"), cancellationToken);
        if (!result.Succeeded)
            throw new DotNetCommandException($"dotnet publish {Path.GetFileName(project)} failed (exit code {result.ExitCode}); the errors are above.");
    }

    /// <summary>
    /// Runs dotnet test with a trx logger per test project and adds up every result file.
    /// A non-zero exit without any failed test means the build or a test host broke; that is an error too,
    /// since counting only the files that were written would report a partial run as green.
    /// </summary>
    public async Task<TestRunSummary> TestAsync(DotNetTestRequest request, CancellationToken cancellationToken)
    {
        if (Directory.Exists(request.ResultsDirectory))
            Directory.Delete(request.ResultsDirectory, recursive: true);
        Directory.CreateDirectory(request.ResultsDirectory);

        var arguments = new List<string>
        {
            "test", request.Target, "-c", request.Configuration, "--nologo",
            "--results-directory", request.ResultsDirectory, "--logger", "trx", "--logger", "console;verbosity=minimal",
        };
        if (request.NoBuild) arguments.Add("--no-build");
        if (request.Filter is { } filter) arguments.AddRange(["--filter", filter]);

        var result = await RunAsync(new ProcessSpec(dotnet, arguments) { Environment = request.Environment }, cancellationToken);

        var files = Directory.EnumerateFiles(request.ResultsDirectory, "*.trx", SearchOption.AllDirectories).Order().ToList();
        var summary = TrxResultReader.ReadAll(files);
        if (!result.Succeeded && summary.Failed == 0)
            throw new DotNetCommandException(
                $"dotnet test exited with {result.ExitCode} but no test failed ({files.Count} result files): a project did not build " +
                $"or a test host crashed. Last output: {result.ErrorTail()}");
        if (files.Count == 0)
            throw new DotNetCommandException($"dotnet test wrote no result files to {request.ResultsDirectory}; no test ran.");
        return summary;
    }

    private Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        log($"> {spec.CommandLine}");
        return runner.RunAsync(spec with { OnOutputLine = log }, cancellationToken);
    }
}

public sealed class DotNetCommandException(string message) : Exception(message);
