using System.Text.RegularExpressions;

namespace Pipeline.Engine.Tests.Cli;

/// <summary>--help shows every parameter's value for this run and where it came from, and never a secret's value.</summary>
public sealed class HelpParameterTests : IDisposable
{
    private const string Password = "hunter2-s3cret";

    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private Task<BuildRun> HelpAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        BuildHarness.RunAsync(new CliBuild(), _root, environment ?? new Dictionary<string, string>(), ["--help", .. args]);

    /// <summary>The row of a parameter: usage, value and source cells, in that order, on one line.</summary>
    private static void AssertRow(BuildRun run, string usage, string value, string source)
    {
        var row = run.Lines.SingleOrDefault(line => line.StartsWith($"│ {usage} ", StringComparison.Ordinal));
        Assert.True(row is not null, $"No help row for {usage}:\n{run.Output}");
        Assert.Matches($@"^│ {Regex.Escape(usage)}\s+│ {Regex.Escape(value)}\s+│ {Regex.Escape(source)}\s+│", row);
    }

    [Fact]
    public async Task A_value_nothing_overrides_is_the_codes_default()
    {
        var run = await HelpAsync();

        Assert.Equal(0, run.ExitCode);
        AssertRow(run, "--seed <int>", "42", "default");
        AssertRow(run, "--load-thresholds <string[]>", "p95<100", "default");
        // The description sits under the option, indented.
        var row = Array.FindIndex(run.Lines, line => line.StartsWith("│ --seed ", StringComparison.Ordinal));
        Assert.StartsWith("│   Random seed for splits ", run.Lines[row + 1]);
    }

    [Fact]
    public async Task An_unset_value_says_so()
    {
        var run = await HelpAsync();

        AssertRow(run, "--registry-password <string> (secret)", "(not set)", "default");
    }

    [Fact]
    public async Task A_value_from_parameters_json_names_the_file()
    {
        _root.WriteFile(".nuke/parameters.json", """{ "Seed": 4, "LoadThresholds": ["p99<1s", "rps>=5"] }""");

        var run = await HelpAsync();

        AssertRow(run, "--seed <int>", "4", "parameters.json");
        AssertRow(run, "--load-thresholds <string[]>", "p99<1s, rps>=5", "parameters.json");
    }

    [Fact]
    public async Task A_value_from_a_profile_names_the_profiles_file()
    {
        _root.WriteFile(".nuke/parameters.json", """{ "Seed": 4 }""");
        _root.WriteFile(".nuke/parameters.ci.json", """{ "Seed": 3 }""");

        var run = await HelpAsync(null, "--profile", "ci");

        AssertRow(run, "--seed <int>", "3", "parameters.ci.json");
    }

    [Fact]
    public async Task A_value_from_the_environment_names_the_variable()
    {
        var run = await HelpAsync(new Dictionary<string, string> { ["SEED"] = "2", ["LOAD_THRESHOLDS"] = "a,b" });

        AssertRow(run, "--seed <int>", "2", "env SEED");
        AssertRow(run, "--load-thresholds <string[]>", "a, b", "env LOAD_THRESHOLDS");
    }

    [Fact]
    public async Task A_value_from_the_command_line_says_so()
    {
        var run = await HelpAsync(new Dictionary<string, string> { ["SEED"] = "2" }, "--seed", "7");

        AssertRow(run, "--seed <int>", "7", "command line");
    }

    [Theory]
    [InlineData("env")]
    [InlineData("file")]
    [InlineData("command line")]
    public async Task A_secret_shows_its_source_but_never_its_value(string source)
    {
        Dictionary<string, string> environment = source == "env" ? new() { ["REGISTRY_PASSWORD"] = Password } : new();
        if (source == "file")
        {
            _root.WriteFile(".nuke/parameters.json", $$"""{ "RegistryPassword": "{{Password}}" }""");
        }

        var run = await HelpAsync(environment, source == "command line" ? ["--registry-password", Password] : []);

        var label = source switch { "env" => "env REGISTRY_PASSWORD", "file" => "parameters.json", _ => "command line" };
        AssertRow(run, "--registry-password <string> (secret)", "*****", label);
        Assert.DoesNotContain(Password, run.Output);
        Assert.DoesNotContain("hunter2", run.Output);
    }

    [Fact]
    public async Task The_legend_explains_every_source_in_order_of_precedence()
    {
        var run = await HelpAsync();

        var legend = run.Lines.SkipWhile(line => !line.StartsWith("Sources, highest precedence first", StringComparison.Ordinal)).Skip(1)
            .Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        Assert.Collection(legend,
            line => Assert.StartsWith("command line ", line),
            line => Assert.StartsWith("env NAME ", line),
            line => Assert.StartsWith("parameters.P.json ", line),
            line => Assert.StartsWith("parameters.json ", line),
            line => Assert.StartsWith("default ", line));
    }
}
