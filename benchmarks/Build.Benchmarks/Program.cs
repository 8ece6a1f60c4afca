using System.Diagnostics;
using System.Globalization;

// Usage: dotnet run -c Release --project benchmarks/Build.Benchmarks [-- [--runs N] [--no-change-deploy [Deploy arguments...]]]
// Measures what a developer waits for: the bootstrap (build.sh) plus the engine, end to end, as processes.
// --no-change-deploy measures only `./build.sh Deploy` when nothing changed (after one Deploy that brings everything up
// to date): every target is up to date or reuses its result, so this is the cost of finding out that nothing changed.
// The arguments after it go to every Deploy (e.g. --registry-dir and --local-port of a deployment of one's own).
var runs = args.Length >= 2 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var deployIndex = Array.IndexOf(args, "--no-change-deploy");
var root = FindRoot(AppContext.BaseDirectory);
var buildSh = Path.Combine(root, "build.sh");

// One warm-up so the build project is compiled and the OS caches are hot.
Run(buildSh, root, "Noop");

var rows = deployIndex >= 0 ? NoChangeDeploy(args[(deployIndex + 1)..]) : new List<(string Scenario, List<double> Seconds)>
{
    ("./build.sh --plan Deploy (warm)", Measure(() => Run(buildSh, root, "--plan", "Deploy"))),
    ("./build.sh Noop (warm)", Measure(() => Run(buildSh, root, "Noop"))),
    ("./build.sh Noop after touching build/Build.cs", Measure(() =>
    {
        File.SetLastWriteTimeUtc(Path.Combine(root, "build", "Build.cs"), DateTime.UtcNow);
        Run(buildSh, root, "Noop");
    })),
    ("./build.sh Noop after touching an engine source", Measure(() =>
    {
        var engineFile = Directory.EnumerateFiles(Path.Combine(root, "pipeline", "Pipeline.Engine"), "*.cs", SearchOption.AllDirectories)
            .First(f => !f.Contains("/obj/", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(engineFile, DateTime.UtcNow);
        Run(buildSh, root, "Noop");
    })),
};

Console.WriteLine($"build.sh wall time, {runs} runs each ({Environment.ProcessorCount} cores)");
Console.WriteLine();
Console.WriteLine("| scenario | median s | min s | max s |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var (scenario, seconds) in rows)
{
    seconds.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {scenario} | {seconds[seconds.Count / 2]:F2} | {seconds[0]:F2} | {seconds[^1]:F2} |"));
}
return 0;

List<(string Scenario, List<double> Seconds)> NoChangeDeploy(string[] deployArguments)
{
    string[] deploy = ["Deploy", .. deployArguments];
    // The first Deploy may train, build and load-test; only the runs after it are the no-change case.
    Run(buildSh, root, deploy);
    return [($"./build.sh {string.Join(' ', deploy)} (nothing changed)", Measure(() => Run(buildSh, root, deploy)))];
}

List<double> Measure(Action action)
{
    var result = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        result.Add(watch.Elapsed.TotalSeconds);
    }
    return result;
}

static void Run(string buildSh, string root, params string[] arguments)
{
    var start = new ProcessStartInfo(buildSh) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {buildSh}.");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new InvalidOperationException(
            $"./build.sh {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
}

static string FindRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
            return dir.FullName;
    throw new InvalidOperationException($"No repository root (a folder with build.sh and .nuke/) above {start}.");
}
