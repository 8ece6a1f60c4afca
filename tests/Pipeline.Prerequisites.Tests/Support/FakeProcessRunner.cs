namespace Pipeline.Prerequisites.Tests;

/// <summary>
/// Simulates programs this machine cannot be made to behave like (not root, apt failing, dockerd
/// crashing). Any command without a handler fails the test, so tests also prove what was NOT run.
/// </summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    private readonly List<(Func<ProcessSpec, bool> Matches, Func<ProcessSpec, Task<ProcessResult>> Run)> handlers = [];

    public List<ProcessSpec> Calls { get; } = [];

    public IEnumerable<string> CommandLines => Calls.Select(c => c.CommandLine);

    public static ProcessResult Ok(string output = "") => new(0, output, "");

    public static ProcessResult Fail(int exitCode, string error) => new(exitCode, "", error);

    /// <summary>Handles commands whose program is <paramref name="program"/> and whose first arguments are <paramref name="prefix"/>.</summary>
    public FakeProcessRunner On(string program, string[] prefix, Func<ProcessSpec, ProcessResult> run) =>
        OnAsync(program, prefix, spec => Task.FromResult(run(spec)));

    public FakeProcessRunner OnAsync(string program, string[] prefix, Func<ProcessSpec, Task<ProcessResult>> run)
    {
        handlers.Add((spec => spec.FileName == program && spec.Arguments.Take(prefix.Length).SequenceEqual(prefix), run));
        return this;
    }

    /// <summary>dpkg-query answers for <paramref name="package"/> as dpkg does for an installed / unknown package.</summary>
    public FakeProcessRunner OnDpkgQuery(string package, Func<bool> installed, string version = "1.0-1") =>
        On("dpkg-query", ["-W"], spec => spec.Arguments[^1] != package
            ? throw new InvalidOperationException($"dpkg-query asked about {spec.Arguments[^1]}, expected {package}")
            : installed()
                ? Ok($"install ok installed\t{version}\n")
                : Fail(1, $"dpkg-query: no packages found matching {package}\n"));

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add(spec);
        }

        // Later registrations win, so a test can override a general handler.
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            if (handlers[i].Matches(spec))
            {
                return handlers[i].Run(spec);
            }
        }

        throw new InvalidOperationException($"Unexpected command: {spec.CommandLine}");
    }
}
