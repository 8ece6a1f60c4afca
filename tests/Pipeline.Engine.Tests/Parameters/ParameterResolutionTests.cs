namespace Pipeline.Engine.Tests.Parameters;

public sealed class ParameterResolutionTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value);

    private static ResolvedParameter Parameter(BuildRun run, string name) =>
        run.Result.Parameters.Single(p => p.Descriptor.Name == name);

    [Fact]
    public async Task Defaults_apply_when_no_source_has_a_value()
    {
        var build = new ParameterBuild();

        var run = await BuildHarness.RunAsync(build, _root);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal((42, 0.5, "default", false, RunMode.Fast), (build.Seed, build.MinAccuracy, build.Label, build.DryRun, build.Mode));
        Assert.All(run.Result.Parameters, p => Assert.Equal(ParameterSource.Default, p.Source));
    }

    [Fact]
    public async Task Command_line_values_of_every_type_are_injected_into_readonly_members()
    {
        var build = new ParameterBuild();

        var run = await BuildHarness.RunAsync(build, _root,
            "--seed", "7", "--min-accuracy", "0.9", "--budget", "12345678901", "--label", "hello world",
            "--load-thresholds", "p95<100", "errors<1%", "--sizes", "3", "4", "--dry-run", "--mode", "thorough",
            "--output-directory", "artifacts/out", "--max-epochs=3", "--region", "us");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(7, build.Seed);
        Assert.Equal(0.9, build.MinAccuracy);
        Assert.Equal(12345678901L, build.Budget);
        Assert.Equal("hello world", build.Label);
        Assert.Equal(["p95<100", "errors<1%"], build.LoadThresholds);
        Assert.Equal([3, 4], build.Sizes);
        Assert.True(build.DryRun);
        Assert.Equal(RunMode.Thorough, build.Mode);
        Assert.Equal(Path.Combine(_root.Directory, "artifacts", "out"), build.OutputDirectory);
        Assert.Equal(3, build.MaxEpochs);
        Assert.Equal("us", build.Region);
        Assert.Equal(ParameterSource.CommandLine, Parameter(run, "Seed").Source);
    }

    [Fact]
    public async Task Bool_flags_take_an_explicit_value_and_leave_other_tokens_as_targets()
    {
        var explicitFalse = new ParameterBuild();
        var flagThenTarget = new ParameterBuild();

        var first = await BuildHarness.RunAsync(explicitFalse, _root, Env(("DRY_RUN", "true")), "--dry-run", "false");
        var second = await BuildHarness.RunAsync(flagThenTarget, _root, "--dry-run", "Show");

        Assert.False(explicitFalse.DryRun);
        Assert.Equal(0, first.ExitCode);
        Assert.True(flagThenTarget.DryRun);
        Assert.Equal(["Show"], second.Result.Plan!.Invoked);
    }

    [Fact]
    public async Task Environment_variables_use_upper_snake_case_and_arrays_split_on_commas_and_newlines()
    {
        var build = new ParameterBuild();

        var run = await BuildHarness.RunAsync(build, _root,
            Env(("MIN_ACCURACY", "0.75"), ("LOAD_THRESHOLDS", "a, b\nc,"), ("MODE", "Thorough"), ("LABEL", ""), ("min_accuracy", "0.1")));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0.75, build.MinAccuracy);
        Assert.Equal(["a", "b", "c"], build.LoadThresholds);
        Assert.Equal(RunMode.Thorough, build.Mode);
        Assert.Equal("default", build.Label);
        Assert.Equal(ParameterSource.FromEnvironment("MIN_ACCURACY"), Parameter(run, "MinAccuracy").Source);
        Assert.Equal(ParameterSource.Default, Parameter(run, "Label").Source);
    }

    [Fact]
    public async Task Parameters_json_is_keyed_by_member_name_and_profiles_overlay_it()
    {
        _root.WriteFile(".nuke/parameters.json", """
            {
              "$schema": "./build.schema.json",
              "Seed": 5,
              "LoadThresholds": ["x", "y"],
              "Mode": "Thorough",
              "DryRun": true,
              "MaxEpochs": null
            }
            """);
        _root.WriteFile(".nuke/parameters.ci.json", """{ "Seed": 6, "Label": "from-ci" }""");
        var plain = new ParameterBuild();
        var withProfile = new ParameterBuild();

        var plainRun = await BuildHarness.RunAsync(plain, _root);
        var profileRun = await BuildHarness.RunAsync(withProfile, _root, "--profile", "ci");

        Assert.Equal((5, RunMode.Thorough, true, (int?)null), (plain.Seed, plain.Mode, plain.DryRun, plain.MaxEpochs));
        Assert.Equal(["x", "y"], plain.LoadThresholds);
        Assert.Equal(ParameterSource.FromFile(null), Parameter(plainRun, "Seed").Source);
        Assert.Equal((6, "from-ci"), (withProfile.Seed, withProfile.Label));
        Assert.Equal(["x", "y"], withProfile.LoadThresholds);
        Assert.Equal("ParametersFile(ci)", Parameter(profileRun, "Seed").Source.ToString());
        Assert.Equal("ParametersFile", Parameter(profileRun, "LoadThresholds").Source.ToString());
    }

    public static TheoryData<string, int, string, string> Precedence => new()
    {
        { "cli env profile file", 1, "CommandLine", "command line" },
        { "env profile file", 2, "Environment", "env SEED" },
        { "profile file", 3, "ParametersFile(ci)", "parameters.ci.json" },
        { "file", 4, "ParametersFile", "parameters.json" },
        { "", 42, "Default", "default" },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public async Task Command_line_beats_environment_beats_profile_beats_parameters_json_beats_default(string sources, int expected, string source, string label)
    {
        var present = sources.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        if (present.Contains("file"))
        {
            _root.WriteFile(".nuke/parameters.json", """{ "Seed": 4 }""");
        }

        _root.WriteFile(".nuke/parameters.ci.json", present.Contains("profile") ? """{ "Seed": 3 }""" : "{}");
        var environment = present.Contains("env") ? Env(("SEED", "2")) : Env();
        string[] args = present.Contains("cli") ? ["--seed", "1", "--profile", "ci", "--help"] : ["--profile", "ci", "--help"];
        var build = new ParameterBuild();

        var run = await BuildHarness.RunAsync(build, _root, environment, args);

        Assert.Equal(expected, build.Seed);
        Assert.Equal(source, Parameter(run, "Seed").Source.ToString());
        var helpRow = run.Lines.Single(line => line.Contains("--seed "));
        Assert.Contains($" {expected} ", helpRow);
        Assert.Contains($" {label} ", helpRow);
    }

    [Fact]
    public async Task Help_lists_a_string_parameters_choices_and_a_chosen_value_is_injected()
    {
        var build = new ParameterBuild();

        var run = await BuildHarness.RunAsync(build, _root, Env(), "--model", "penguins", "--help");

        Assert.Equal("penguins", build.Model);
        Assert.Contains(run.Lines, line => line.Contains("The model to ship. One of: iris, penguins."));
    }
}
