using Serving.Server.Configuration;

namespace Serving.Server.Tests;

public sealed class SecuritySettingsTests
{
    private const string Secret = "env-secret-0123456789abcdef";
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Security_settings_come_from_arguments_and_variables()
    {
        var environment = new Dictionary<string, string>
        {
            ["SERVING_API_KEYS"] = $"from-env:{Secret}",
            ["SERVING_API_KEYS_FILE"] = "/run/secrets/serving-api-keys",
            ["SERVING_METRICS_PORT"] = "9090",
            ["SERVING_TLS_CERTIFICATE"] = "/tls/tls.crt",
        };

        var options = ServerOptionsReader.Read(["--model-path", "m.onnx", "--tls-key", "/tls/tls.key", "--metrics-port=9191"], environment.GetValueOrDefault);

        Assert.Equal(new SecretText($"from-env:{Secret}"), options.ApiKeys);
        Assert.Equal("/run/secrets/serving-api-keys", options.ApiKeysFile);
        Assert.Equal(9191, options.MetricsPort);
        Assert.Equal("/tls/tls.crt", options.TlsCertificatePath);
        Assert.Equal("/tls/tls.key", options.TlsKeyPath);
        // Records print every property; the keys must not be among what they print.
        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_security_settings_nothing_is_on()
    {
        var options = ServerOptionsReader.Read(["--model-path", "m.onnx"], NoEnvironment);

        Assert.Null(options.ApiKeys);
        Assert.Null(options.ApiKeysFile);
        Assert.Null(options.MetricsPort);
        Assert.Null(options.TlsCertificatePath);
        Assert.Null(options.TlsKeyPath);
    }

    [Theory]
    [InlineData("--api-keys", Secret)]
    [InlineData("--api-keys=" + Secret, null)]
    public void Keys_as_an_argument_are_refused_without_echoing_them(string argument, string? value)
    {
        string[] args = value is null ? [argument, "--model-path", "m.onnx"] : [argument, value, "--model-path", "m.onnx"];

        var error = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read(args, NoEnvironment));

        Assert.Equal(
            "--api-keys is refused: a secret on the command line is visible to every user of the machine (ps, /proc/<pid>/cmdline). " +
            "Give it through SERVING_API_KEYS or a file given by --api-keys-file.", Assert.Single(error.Errors));
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_program_refuses_keys_as_an_argument_with_exit_code_2_and_never_prints_them()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await Serving.Server.Hosting.ServingProgram.RunAsync(["--model-path", "m.onnx", "--api-keys", $"cli:{Secret}"], NoEnvironment, output, error);

        Assert.Equal(Serving.Server.Hosting.ServingProgram.ExitRefusedToStart, exitCode);
        Assert.Contains("--api-keys is refused", error.ToString());
        Assert.DoesNotContain(Secret, error.ToString() + output, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_keys_in_the_variable_are_reported_by_line_without_the_secret()
    {
        var environment = new Dictionary<string, string> { ["SERVING_API_KEYS"] = $"ok:{Secret}\nbroken-{Secret}" };

        var error = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read(["--model-path", "m.onnx"], environment.GetValueOrDefault));

        Assert.Equal("SERVING_API_KEYS, line 2: expected <key-id>:<secret> but there is no ':'.", Assert.Single(error.Errors));
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tls-certificate", "TLS needs the private key too: --tls-key / SERVING_TLS_KEY is missing (or drop --tls-certificate / SERVING_TLS_CERTIFICATE for plain HTTP).")]
    [InlineData("--tls-key", "TLS needs the certificate too: --tls-certificate / SERVING_TLS_CERTIFICATE is missing (or drop --tls-key / SERVING_TLS_KEY for plain HTTP).")]
    public void Only_one_of_certificate_and_key_is_refused_naming_the_missing_one(string given, string expected)
    {
        var error = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read([given, "/tls/file.pem", "--model-path", "m.onnx"], NoEnvironment));

        Assert.Equal(expected, Assert.Single(error.Errors));
    }

    [Fact]
    public void The_metrics_port_must_differ_from_the_main_port()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read(["--port", "8080", "--metrics-port", "8080", "--model-path", "m.onnx"], NoEnvironment));

        Assert.Equal("metrics port 8080 is also the main port; give --metrics-port another port, or leave it unset to serve /metrics on the main port.", Assert.Single(error.Errors));
    }

    [Fact]
    public void Usage_lists_the_new_settings_and_marks_the_keys_variable_environment_only()
    {
        var usage = ServerOptionsReader.Usage();

        foreach (var argument in (string[])["--metrics-port", "--api-keys-file", "--tls-certificate", "--tls-key"]) Assert.Contains(argument, usage);
        Assert.Contains(usage.Split('\n'), line => line.Contains("(environment only)") && line.Contains("SERVING_API_KEYS "));
        Assert.DoesNotContain("--api-keys ", usage);
    }
}
