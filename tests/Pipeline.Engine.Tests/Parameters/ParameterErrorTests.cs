namespace Pipeline.Engine.Tests.Parameters;

/// <summary>Bad values and names fail before anything runs, saying what is wrong, where it came from and what was meant.</summary>
public sealed class ParameterErrorTests : IDisposable
{
    private readonly TestRoot _root = new();

    public void Dispose() => _root.Dispose();

    private async Task<IReadOnlyList<string>> ErrorsAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var run = await BuildHarness.RunAsync(new ParameterBuild(), _root, environment, args);
        Assert.True(run.ExitCode == ExitCodes.InvalidConfiguration, run.ToString());
        Assert.Null(run.Result.Summary);
        foreach (var error in run.Result.Errors)
        {
            Assert.Contains(error, run.Output);
        }

        return run.Result.Errors;
    }

    private Task<IReadOnlyList<string>> ErrorsAsync(params string[] args) => ErrorsAsync(new Dictionary<string, string>(), args);

    [Fact]
    public async Task Unparsable_command_line_value()
    {
        Assert.Equal(["Parameter --seed: 'abc' is not a valid int (from the command line)."], await ErrorsAsync("--seed", "abc"));
    }

    [Fact]
    public async Task Unparsable_environment_and_file_values_name_their_source()
    {
        _root.WriteFile(".nuke/parameters.json", """{ "Budget": "lots", "Sizes": [1, "two"] }""");

        var errors = await ErrorsAsync(new Dictionary<string, string> { ["MIN_ACCURACY"] = "high", ["MODE"] = "slow" });

        Assert.Equal(
        [
            "Parameter --min-accuracy: 'high' is not a valid double (from environment variable MIN_ACCURACY).",
            "Parameter --budget: 'lots' is not a valid long (from .nuke/parameters.json).",
            "Parameter --sizes: 'two' is not a valid int (from .nuke/parameters.json).",
            "Parameter --mode: 'slow' is not a valid RunMode (one of: Fast, Thorough) (from environment variable MODE).",
        ], errors);
    }

    [Fact]
    public async Task A_value_outside_the_builds_choices_is_refused_with_the_choices_and_a_suggestion()
    {
        Assert.Equal(["Parameter --model: 'pengiuns' is not one of: iris, penguins (from the command line). Did you mean 'penguins'?"],
            await ErrorsAsync("--model", "pengiuns"));
    }

    [Fact]
    public async Task Unknown_option_suggests_the_closest_parameter()
    {
        Assert.Equal(["Unknown parameter '--min-acuracy'. Did you mean '--min-accuracy'?"], await ErrorsAsync("--min-acuracy", "0.9"));
        Assert.Equal(["Unknown parameter '--paralel'. Did you mean '--parallel'?"], await ErrorsAsync("--paralel"));
        Assert.Equal(["Unknown parameter '-skip'. Did you mean '--skip'?"], await ErrorsAsync("-skip"));
        Assert.Equal(["Unknown parameter '--zzzzzz'. Run with --help to list parameters."], await ErrorsAsync("--zzzzzz"));
    }

    [Fact]
    public async Task Unknown_key_in_parameters_json_suggests_the_closest_member()
    {
        _root.WriteFile(".nuke/parameters.json", """{ "MinAcuracy": 0.9 }""");

        Assert.Equal(["Unknown parameter 'MinAcuracy' in .nuke/parameters.json. Did you mean 'MinAccuracy'?"], await ErrorsAsync());
    }

    [Fact]
    public async Task Wrong_json_shape_and_invalid_json()
    {
        _root.WriteFile(".nuke/parameters.json", """{ "Seed": [1], "LoadThresholds": "a" }""");
        Assert.Equal(
        [
            "Parameter Seed in .nuke/parameters.json must be a single int value, not an array.",
            "Parameter LoadThresholds in .nuke/parameters.json must be a JSON array, e.g. [\"a\", \"b\"].",
        ], await ErrorsAsync());

        _root.WriteFile(".nuke/parameters.json", "{ \"Seed\": ");
        Assert.StartsWith(".nuke/parameters.json is not valid JSON:", Assert.Single(await ErrorsAsync()));
    }

    [Fact]
    public async Task Missing_profile_lists_the_available_ones()
    {
        _root.WriteFile(".nuke/parameters.ci.json", "{}");
        _root.WriteFile(".nuke/parameters.local.json", "{}");

        Assert.Equal(["Profile 'prod' not found: .nuke/parameters.prod.json does not exist. Available profiles: ci, local."], await ErrorsAsync("--profile", "prod"));
    }

    [Fact]
    public async Task Missing_values_repeated_options_and_bad_built_in_values()
    {
        Assert.Equal(["Parameter --seed requires a int value, e.g. --seed <int>."], await ErrorsAsync("--seed"));
        Assert.Equal(["Option --seed was given more than once."], await ErrorsAsync("--seed", "1", "--seed", "2"));
        Assert.Equal(["Invalid value 'loud' for --verbosity: expected quiet, normal or verbose."], await ErrorsAsync("--verbosity", "loud"));
        Assert.Equal(["Option --force takes no value."], await ErrorsAsync("--force=yes"));
        Assert.Equal(["Parameter --dry-run: 'maybe' is not a valid bool (true or false) (from the command line)."], await ErrorsAsync("--dry-run=maybe"));
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var errors = await ErrorsAsync("--seed", "x", "--budget", "y", "Shwo");

        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public async Task Unknown_target_suggests_the_closest_target()
    {
        Assert.Equal(["Unknown target 'Shwo'. Did you mean 'Show'?"], await ErrorsAsync("Shwo"));
        Assert.Equal(["Unknown target 'Deploy'. Available targets: Show."], await ErrorsAsync("Deploy"));
    }

    [Fact]
    public async Task Secret_values_are_masked_in_error_messages()
    {
        var errors = await ErrorsAsync(new Dictionary<string, string> { ["SECRET_NUMBER"] = "pin-7731" });

        Assert.Equal(["Parameter --secret-number: '*****' is not a valid int (from environment variable SECRET_NUMBER)."], errors);
    }
}
