using Pipeline.Engine;
using TestSupport;

namespace BuildProject.Tests;

/// <summary>The serving API key as the build takes it (issue #16): a secret parameter, from SERVING_API_KEY in CI.</summary>
public sealed class ServingApiKeyParameterTests
{
    [Fact]
    public void It_is_a_secret_parameter_named_as_the_contract_says()
    {
        using var root = new TemporaryDirectory();
        var parameter = BuildGraph.From<global::Build>(root.Path).FindParameter("ServingApiKey")!;

        Assert.Equal(("--serving-api-key", "SERVING_API_KEY", true), (parameter.Option, parameter.EnvironmentVariable, parameter.IsSecret));
        Assert.Null(parameter.DefaultValue);
    }

    [Fact]
    public async Task A_key_from_the_environment_is_used_and_never_shown()
    {
        using var root = new TemporaryDirectory();
        var key = $"from-ci-{Guid.NewGuid():N}";
        var output = new StringWriter();
        var settings = new BuildRunSettings { Environment = new Dictionary<string, string> { ["SERVING_API_KEY"] = key }, RootDirectory = root.Path, Output = output };

        var result = await BuildRunner.ExecuteAsync(new global::Build(), ["--help"], settings);

        var resolved = result.Parameters.Single(p => p.Descriptor.Name == "ServingApiKey");
        Assert.Equal(key, resolved.Value);
        Assert.Equal("*****", resolved.DisplayValue);
        Assert.DoesNotContain(key, output.ToString());
    }

    [Fact]
    public void Every_workflow_job_that_starts_serving_containers_or_deploys_gets_the_secret()
    {
        var workflows = global::Build.WorkflowDeclarations.SelectMany(w => w.Jobs).ToList();

        foreach (var target in new[] { "LoadTest", "Deploy", "Rollback" })
        {
            var jobs = workflows.Where(j => j.Targets.Contains(target)).ToList();
            Assert.NotEmpty(jobs);
            Assert.All(jobs, job => Assert.Contains(job.Secrets, s => s.Secret == "SERVING_API_KEY" && s.Parameter == "ServingApiKey"));
        }
    }
}
