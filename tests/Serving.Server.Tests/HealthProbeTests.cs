using Serving.Server.Hosting;
using Serving.Server.Tests.Support;

namespace Serving.Server.Tests;

[Collection(ServingCollection.Name)]
public sealed class HealthProbeTests(ServingFixture fixture)
{
    [Fact]
    public async Task The_probe_exits_0_against_a_ready_server_and_1_when_nothing_answers()
    {
        await using var server = await TestServer.StartAsync(fixture);
        var ready = new Uri(server.Client.BaseAddress!, "/v2/health/ready").ToString();
        var error = new StringWriter();

        Assert.Equal(ServingProgram.ExitOk, await ServingProgram.RunAsync([HealthProbe.Flag, ready], _ => null, TextWriter.Null, error));

        var missing = new Uri(server.Client.BaseAddress!, "/v2/no-such-endpoint").ToString();
        Assert.Equal(ServingProgram.ExitFailed, await ServingProgram.RunAsync([HealthProbe.Flag, missing], _ => null, TextWriter.Null, error));
        Assert.Contains("answered 404", error.ToString());

        Assert.Equal(ServingProgram.ExitFailed, await ServingProgram.RunAsync([HealthProbe.Flag, "http://127.0.0.1:1/v2/health/ready"], _ => null, TextWriter.Null, error));
    }
}
