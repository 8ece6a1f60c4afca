namespace Pipeline.Engine.Tests.Execution;

[CollectionDefinition(nameof(ProcessConsoleCollection), DisableParallelization = true)]
public sealed class ProcessConsoleCollection;

/// <summary>These tests look at the process-wide Console writers, so they run alone.</summary>
[Collection(nameof(ProcessConsoleCollection))]
public sealed class ConsoleCaptureTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private sealed class ChattyBuild : BuildDefinition
    {
        Target Talk => _ => _.Executes(async () =>
        {
            Console.Write("partial ");
            await Task.Yield();
            Console.WriteLine("line from Console.Out");
            Console.Error.WriteLine("line from Console.Error");
        });
    }

    [Fact]
    public async Task Console_writes_inside_a_target_go_to_its_log_and_the_writers_are_restored()
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;

        var run = await BuildHarness.RunAsync(new ChattyBuild(), _root, "Talk");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("partial line from Console.Out", run.Lines);
        Assert.Contains("line from Console.Error", run.Lines);
        Assert.Same(originalOut, Console.Out);
        Assert.Same(originalError, Console.Error);
    }

    [Fact]
    public async Task Capture_can_be_turned_off()
    {
        var output = new StringWriter();
        var processOut = new StringWriter();
        var originalOut = Console.Out;
        Console.SetOut(processOut);
        try
        {
            var settings = new BuildRunSettings
            {
                Environment = new Dictionary<string, string>(),
                RootDirectory = _root.Directory,
                Output = output,
                CaptureConsoleOutput = false,
            };

            await BuildRunner.ExecuteAsync(new ChattyBuild(), ["Talk"], settings);
        }
        finally
        {
            Console.SetOut(originalOut);
        }

        Assert.DoesNotContain("line from Console.Out", output.ToString());
        Assert.Contains("partial line from Console.Out", processOut.ToString());
    }

    [Fact]
    public async Task Overlapping_captures_never_lose_output()
    {
        var originalOut = Console.Out;
        var processOut = new StringWriter();
        Console.SetOut(processOut);
        var outerLog = new StringWriter();
        var innerLog = new StringWriter();
        try
        {
            var outer = new ConsoleCapture();
            var inner = new ConsoleCapture();
            using (outer.Enter(outerLog))
            {
                await Task.Yield();
                Console.WriteLine("to outer");
            }

            using (inner.Enter(innerLog))
            {
                Console.WriteLine("to inner");
            }

            // The outer run ends first: it cannot unhook itself from under the inner one, so it turns into a pass-through.
            outer.Dispose();
            using (inner.Enter(innerLog))
            {
                Console.WriteLine("still inner");
            }

            Console.WriteLine("outside any target");
            inner.Dispose();
            Console.WriteLine("after both");
        }
        finally
        {
            Console.SetOut(originalOut);
        }

        Assert.Equal("to outer\n", outerLog.ToString());
        Assert.Equal("to inner\nstill inner\n", innerLog.ToString());
        Assert.Equal("outside any target\nafter both\n", processOut.ToString());
    }
}
