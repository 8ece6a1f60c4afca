using Serving.Server.Configuration;

namespace Serving.Server.Tests;

public sealed class ServerOptionsReaderTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Defaults_apply_when_only_the_model_path_is_given()
    {
        var options = ServerOptionsReader.Read(["--model-path", "/models/model.onnx"], NoEnvironment);

        Assert.Equal(new ServerOptions { ModelPath = "/models/model.onnx" }, options);
        Assert.Equal(8080, options.Port);
        Assert.Equal(8081, options.GrpcPort);
        Assert.Equal("fashion-mnist", options.ModelName);
        Assert.Equal(64, options.MaxBatchSize);
        Assert.Equal(4 * 1024 * 1024, options.MaxRequestBodyBytes);
        Assert.Equal(1, options.IntraOpThreads);
        Assert.False(options.DynamicBatching);
    }

    [Fact]
    public void Environment_variables_set_options_and_arguments_win_over_them()
    {
        var environment = new Dictionary<string, string>
        {
            ["SERVING_MODEL_PATH"] = "/env/model.onnx",
            ["SERVING_PORT"] = "9000",
            ["SERVING_GRPC_PORT"] = "9001",
            ["SERVING_DYNAMIC_BATCHING"] = "true",
            ["SERVING_DYNAMIC_BATCH_MAX_QUEUE_DELAY_US"] = "250",
            ["SERVING_LOG_FORMAT"] = "json",
        };

        var options = ServerOptionsReader.Read(["--port=9100", "--max-queue-size", "3"], environment.GetValueOrDefault);

        Assert.Equal("/env/model.onnx", options.ModelPath);
        Assert.Equal(9100, options.Port);
        Assert.Equal(9001, options.GrpcPort);
        Assert.Equal(3, options.MaxQueueSize);
        Assert.True(options.DynamicBatching);
        Assert.Equal(250, options.DynamicBatchMaxQueueDelayMicroseconds);
        Assert.Equal(ServerLogFormat.Json, options.LogFormat);
    }

    [Fact]
    public void The_grpc_port_argument_wins_over_its_variable_and_0_asks_for_any_free_port()
    {
        var options = ServerOptionsReader.Read(["--grpc-port", "0", "--model-path", "m.onnx"],
            new Dictionary<string, string> { ["SERVING_GRPC_PORT"] = "9001" }.GetValueOrDefault);

        Assert.Equal(0, options.GrpcPort);
    }

    [Fact]
    public void A_grpc_port_out_of_range_or_equal_to_the_rest_port_is_refused()
    {
        var outOfRange = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read(
            ["--grpc-port", "65536", "--model-path", "m.onnx"], NoEnvironment));
        var same = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read(
            ["--port", "9000", "--model-path", "m.onnx"], new Dictionary<string, string> { ["SERVING_GRPC_PORT"] = "9000" }.GetValueOrDefault));

        Assert.Equal(["gRPC port 65536 is out of range; use 1-65535 (or 0 for any free port)."], outOfRange.Errors);
        Assert.Equal(["the gRPC port and the REST port are both 9000; give --grpc-port another port."], same.Errors);
    }

    [Fact]
    public void A_flag_without_a_value_means_true()
    {
        var options = ServerOptionsReader.Read(["--dynamic-batching", "--model-path", "m.onnx"], NoEnvironment);

        Assert.True(options.DynamicBatching);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_naming_the_setting()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read(
            ["--prot", "80", "--max-batch-size", "many", "--model-path", "m.onnx", "stray"],
            new Dictionary<string, string> { ["SERVING_DYNAMIC_BATCHING"] = "maybe" }.GetValueOrDefault));

        Assert.Equal(4, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.StartsWith("unknown argument '--prot'. Known settings: --port,", StringComparison.Ordinal));
        Assert.Contains("--max-batch-size: 'many' is not a whole number.", error.Errors);
        Assert.Contains("SERVING_DYNAMIC_BATCHING: 'maybe' is not a boolean; use true or false.", error.Errors);
        Assert.Contains("unexpected argument 'stray'; settings look like --port 8080.", error.Errors);
    }

    [Fact]
    public void Values_out_of_range_are_refused_by_validation()
    {
        var error = Assert.Throws<ServerConfigurationException>(() => ServerOptionsReader.Read(
            ["--port", "70000", "--bind-address", "localhost", "--model-sha256", "abc", "--max-concurrent-inferences", "0"], NoEnvironment));

        Assert.Contains("port 70000 is out of range; use 1-65535 (or 0 for any free port).", error.Errors);
        Assert.Contains("bind address 'localhost' is not an IP address; use e.g. 0.0.0.0, 127.0.0.1, :: or *.", error.Errors);
        Assert.Contains("the model path is required: give --model-path or SERVING_MODEL_PATH.", error.Errors);
        Assert.Contains("model SHA-256 'abc' must be 64 hexadecimal characters.", error.Errors);
        Assert.Contains("max concurrent inferences 0 must be at least 1.", error.Errors);
        Assert.Contains("--help", error.Message);
    }
}
