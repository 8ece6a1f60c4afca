using System.Diagnostics;
using Pipeline.Prerequisites.Tests;

namespace Pipeline.Processes.Tests;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner runner = new();

    [Fact]
    public async Task Standard_input_reaches_the_program_and_is_not_part_of_the_command_line()
    {
        var spec = new ProcessSpec("cat") { StandardInput = "s3cret-value\n" };

        var result = await runner.RunAsync(spec, CancellationToken.None);

        Assert.Equal("s3cret-value", result.StandardOutput.Trim());
        Assert.DoesNotContain("s3cret", spec.CommandLine);
    }

    [Fact]
    public async Task Captures_exit_code_output_and_error_separately()
    {
        var result = await runner.RunAsync(
            new ProcessSpec("sh", "-c", "echo out1; echo err1 >&2; echo out2; exit 3"), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("out1\nout2\n", result.StandardOutput);
        Assert.Equal("err1\n", result.StandardError);
        Assert.Equal("err1", result.ErrorTail());
    }

    [Fact]
    public async Task Passes_arguments_verbatim_without_a_shell()
    {
        var result = await runner.RunAsync(new ProcessSpec("printf", "%s|", "a b", "$HOME", "'q'"), CancellationToken.None);

        Assert.Equal("a b|$HOME|'q'|", result.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public async Task Adds_environment_variables_and_keeps_inherited_ones()
    {
        var spec = new ProcessSpec("sh", "-c", "echo \"$MLOPS_TEST_VAR:${PATH:+has-path}\"")
        {
            Environment = new Dictionary<string, string> { ["MLOPS_TEST_VAR"] = "value 1" },
        };

        var result = await runner.RunAsync(spec, CancellationToken.None);

        Assert.Equal("value 1:has-path\n", result.StandardOutput);
    }

    [Fact]
    public async Task Reports_each_output_line_as_it_arrives()
    {
        var lines = new List<string>();
        var spec = new ProcessSpec("sh", "-c", "echo one; echo two >&2; echo three") { OnOutputLine = l => { lock (lines) lines.Add(l); } };

        await runner.RunAsync(spec, CancellationToken.None);

        Assert.Equal(["one", "three", "two"], lines.Order());
    }

    [Fact]
    public async Task Gives_the_program_an_empty_standard_input_so_it_cannot_wait_for_a_person()
    {
        var result = await runner.RunAsync(new ProcessSpec("cat"), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Missing_program_throws_CommandNotFoundException_naming_it()
    {
        var error = await Assert.ThrowsAsync<CommandNotFoundException>(
            () => runner.RunAsync(new ProcessSpec("mlops-no-such-program-xyz"), CancellationToken.None));

        Assert.Equal("mlops-no-such-program-xyz", error.Command);
    }

    [Fact]
    public async Task Cancelling_kills_the_process_tree()
    {
        using var directory = new TempDirectory();
        var pidFile = directory.File("child.pid");
        using var cancellation = new CancellationTokenSource();
        var run = runner.RunAsync(new ProcessSpec("sh", "-c", $"sleep 60 & echo $! > {pidFile}; wait"), cancellation.Token);
        while (!File.Exists(pidFile) || new FileInfo(pidFile).Length == 0)
        {
            await Task.Delay(20);
        }

        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim());
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var stopwatch = Stopwatch.StartNew();
        while (ProcessLiveness.IsAlive(grandchild) && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.False(ProcessLiveness.IsAlive(grandchild), $"sleep (pid {grandchild}) survived cancellation");
    }

    [Fact]
    public void Command_line_is_shell_quoted_for_messages()
    {
        var spec = new ProcessSpec("dpkg-query", "-W", "-f=${Status}", "it's");

        Assert.Equal("dpkg-query -W '-f=${Status}' 'it'\\''s'", spec.CommandLine);
    }
}
