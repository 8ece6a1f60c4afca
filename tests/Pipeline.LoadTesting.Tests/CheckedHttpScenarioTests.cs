using System.Text;
using Pipeline.LoadTesting.Scenarios;

namespace Pipeline.LoadTesting.Tests;

/// <summary>HTTP scenarios whose plans check the response body: a wrong answer is an error that keeps its status code.</summary>
public sealed class CheckedHttpScenarioTests
{
    [Fact]
    public async Task A_check_that_rejects_the_body_records_its_error_kind_with_the_status()
    {
        await using var server = new LoopbackHttpServer();
        using var client = new HttpClient();
        var seen = new List<string>();
        var scenario = HttpScenario.Create(client, () => new HttpRequestPlan(new HttpRequestMessage(HttpMethod.Get, server.Address), body =>
        {
            seen.Add(Encoding.ASCII.GetString(body.Span));
            return body.Span.SequenceEqual("yes"u8) ? null : "WrongAnswer";
        }));

        var outcome = await scenario(CancellationToken.None);

        Assert.Equal(["ok"], seen);
        Assert.Equal(200, outcome.StatusCode);
        Assert.Equal("WrongAnswer", outcome.ErrorKind);
        Assert.Equal(2, outcome.BytesReceived);
        Assert.True(outcome.IsError);
    }

    [Fact]
    public async Task A_check_that_accepts_the_body_leaves_a_success()
    {
        await using var server = new LoopbackHttpServer();
        using var client = new HttpClient();
        var scenario = HttpScenario.Create(client, () => new HttpRequestPlan(new HttpRequestMessage(HttpMethod.Get, server.Address),
            body => body.Span.SequenceEqual("ok"u8) ? null : "WrongAnswer"));

        var outcome = await scenario(CancellationToken.None);

        Assert.False(outcome.IsError);
        Assert.Equal(200, outcome.StatusCode);
    }
}
