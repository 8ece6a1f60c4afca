using Pipeline.Processes;

namespace Pipeline.Monitoring;

/// <summary>promtool's checks (check config, check rules, test rules): a refusal throws with promtool's own output.</summary>
public sealed class PromtoolChecker(IProcessRunner runner, string promtoolPath = PromtoolChecker.DefaultPath)
{
    public const string DefaultPath = "/usr/bin/promtool";

    public Task CheckConfigAsync(string configFile, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "check", "config", configFile);

    public Task CheckRulesAsync(IReadOnlyList<string> ruleFiles, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, ["check", "rules", .. ruleFiles]);

    /// <summary>Runs the unit tests of the rules (promtool test rules): every alert and recording rule case in the files must hold.</summary>
    public Task<string> TestRulesAsync(IReadOnlyList<string> testFiles, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, ["test", "rules", .. testFiles]);

    private async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var spec = new ProcessSpec(promtoolPath, arguments);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(spec, cancellationToken);
        }
        catch (CommandNotFoundException ex)
        {
            throw new PrometheusProcessException($"{promtoolPath} is missing: install Debian's prometheus package (./build.sh Setup does, or apt-get install prometheus).", ex);
        }

        var output = (result.StandardOutput + "\n" + result.StandardError).Trim();
        if (!result.Succeeded)
            throw new PrometheusProcessException($"'{spec.CommandLine}' failed (exit code {result.ExitCode}):\n{output}");
        return output;
    }
}
