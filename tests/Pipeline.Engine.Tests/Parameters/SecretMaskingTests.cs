using System.Text.Json;

namespace Pipeline.Engine.Tests.Parameters;

public sealed class SecretMaskingTests : IDisposable
{
    private const string Secret = "hunter2-Secret";
    private readonly TestRoot _root = new();
    private readonly Dictionary<string, string> _environment = new() { ["REGISTRY_PASSWORD"] = Secret };

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Help_shows_the_secret_masked_with_its_source()
    {
        var run = await BuildHarness.RunAsync(new ParameterBuild(), _root, _environment, "--help");

        Assert.DoesNotContain(Secret, run.Output);
        var row = run.Lines.Single(line => line.Contains("--registry-password"));
        Assert.Contains("<string> (secret)", row);
        Assert.Contains("*****", row);
        Assert.Contains("env REGISTRY_PASSWORD", row);
    }

    [Fact]
    public async Task Plan_json_masks_the_secret_value()
    {
        var run = await BuildHarness.RunAsync(new ParameterBuild(), _root, _environment, "--plan-json");

        Assert.DoesNotContain(Secret, run.Output);
        using var json = JsonDocument.Parse(run.Output);
        var password = json.RootElement.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "RegistryPassword");
        Assert.Equal("*****", password.GetProperty("value").GetString());
        Assert.True(password.GetProperty("secret").GetBoolean());
    }

    [Fact]
    public async Task Target_output_containing_the_secret_is_masked()
    {
        var build = new ParameterBuild();

        var run = await BuildHarness.RunAsync(build, _root, _environment, "Show", "--verbosity", "verbose");

        Assert.Equal(Secret, build.RegistryPassword);
        Assert.DoesNotContain(Secret, run.Output);
        Assert.Contains("password is *****", run.Output);
        Assert.Contains("Parameter RegistryPassword = ***** (env REGISTRY_PASSWORD)", run.Output);
    }

    [Fact]
    public void Masker_replaces_longer_secrets_first_and_ignores_blank_ones()
    {
        var masker = new SecretMasker(["abc", "abcdef", " ", null]);

        Assert.Equal("x ***** y *****", masker.Apply("x abcdef y abc"));
        Assert.Equal(["abcdef", "abc"], masker.Secrets);
    }
}
