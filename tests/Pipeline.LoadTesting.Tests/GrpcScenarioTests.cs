using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.LoadTesting.Scheduling;

namespace Pipeline.LoadTesting.Tests;

/// <summary>GrpcScenario against a real gRPC server (Kestrel, HTTP/2 cleartext) serving the standard grpc.health.v1 service.</summary>
public sealed class GrpcScenarioTests : IAsyncLifetime
{
    private readonly HealthServiceImpl _health = new();
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _health.SetStatus("serving", HealthCheckResponse.Types.ServingStatus.Serving);
        _health.SetStatus("not-serving", HealthCheckResponse.Types.ServingStatus.NotServing);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_health);
        _app = builder.Build();
        _app.MapGrpcService<HealthServiceImpl>();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _channel = GrpcChannel.ForAddress(address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
    }

    private LoadScenario Check(string service, Func<HealthCheckResponse, string?>? check = null)
    {
        var client = new Health.HealthClient(_channel);
        var request = new HealthCheckRequest { Service = service };
        return GrpcScenario.Create(() => new GrpcCallPlan<HealthCheckResponse>(options => client.CheckAsync(request, options), request.CalculateSize(), check),
            response => response.CalculateSize());
    }

    [Fact]
    public async Task An_OK_answer_is_a_200_with_its_bytes_and_a_failing_check_keeps_the_status_with_the_check_s_error_kind()
    {
        var ok = await Check("serving")(CancellationToken.None);
        Assert.Equal(new RequestOutcome(200, new HealthCheckRequest { Service = "serving" }.CalculateSize(), 2, null), ok);
        Assert.False(ok.IsError);

        var wrong = await Check("not-serving", r => r.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : "NotServing")(CancellationToken.None);
        Assert.Equal((200, "NotServing"), (wrong.StatusCode, wrong.ErrorKind));
        Assert.True(wrong.IsError);
    }

    [Fact]
    public async Task A_gRPC_error_status_is_an_error_named_after_its_code_not_a_200()
    {
        // The health service answers NOT_FOUND for a service it does not know, inside an HTTP/2 200.
        var outcome = await Check("unknown")(CancellationToken.None);
        Assert.Equal((null, "grpc.NotFound"), (outcome.StatusCode, outcome.ErrorKind));
        Assert.True(outcome.IsError);
    }

    [Fact]
    public async Task A_closed_model_run_counts_every_call_and_a_stopped_server_gives_unavailable()
    {
        var result = await new ClosedModelRunner(TimeProvider.System).RunAsync(Check("serving"),
            new ClosedModelOptions(4, TimeSpan.FromSeconds(1)), CancellationToken.None);
        Assert.True(result.Requests > 50, $"only {result.Requests} calls in 1 s");
        Assert.Equal(result.Requests, result.StatusCodes[200]);
        Assert.Equal(0, result.Errors);

        await _app.StopAsync();
        var outcome = await Check("serving")(CancellationToken.None);
        Assert.Equal("grpc.Unavailable", outcome.ErrorKind);
    }

    [Fact]
    public async Task A_call_cancelled_by_the_run_s_stop_is_left_to_the_runner_to_record()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Check("serving")(stop.Token));
    }
}
