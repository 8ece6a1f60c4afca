using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Processes;

namespace Pipeline.ReverseProxy.Tests;

/// <summary>The edge's self-signed certificate (generated once, reused while valid) and real TLS handshakes on both frontends.</summary>
public sealed class EdgeTlsTests : IAsyncLifetime
{
    private readonly EdgeHarness _h = new();
    private readonly int _grpcPort = TestUpstream.FreePort();

    public Task InitializeAsync() => _h.InitializeAsync();

    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task The_pair_is_generated_once_owner_only_reused_while_valid_and_replaced_before_it_expires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

        var pem = await EdgeCertificate.EnsureAsync(_h.Layout, time, CancellationToken.None);
        var first = await File.ReadAllTextAsync(pem);
        time.Advance(TimeSpan.FromDays(300));
        await EdgeCertificate.EnsureAsync(_h.Layout, time, CancellationToken.None);
        var reused = await File.ReadAllTextAsync(pem);
        time.Advance(EdgeCertificate.Lifetime - TimeSpan.FromDays(300) - EdgeCertificate.RenewBefore + TimeSpan.FromHours(1));
        await EdgeCertificate.EnsureAsync(_h.Layout, time, CancellationToken.None);
        var renewed = await File.ReadAllTextAsync(pem);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pem));
        Assert.Equal(first, reused);
        Assert.NotEqual(first, renewed);
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(_h.Layout.TlsCertificateFile));
        Assert.Equal(X509Certificate2.CreateFromPem(renewed).Thumbprint, certificate.Thumbprint);
        Assert.Contains("127.0.0.1", certificate.GetNameInfo(X509NameType.DnsName, false) + certificate.Extensions["2.5.29.17"]!.Format(false));
        Assert.DoesNotContain("PRIVATE KEY", await File.ReadAllTextAsync(_h.Layout.TlsCertificateFile));
        Assert.Contains("PRIVATE KEY", renewed);
        // Temporary files were renamed into place, none left beside them.
        Assert.Equal(["edge.crt", "edge.pem"], Directory.GetFiles(Path.GetDirectoryName(pem)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Clients_that_trust_the_certificate_reach_REST_and_gRPC_and_plain_HTTP_to_the_TLS_port_fails()
    {
        var pem = await EdgeCertificate.EnsureAsync(_h.Layout, TimeProvider.System, CancellationToken.None);
        await _h.Edge.ApplyAsync(_h.Description(EdgeHarness.GrpcRoute("m", _grpcPort, (_h.Blue, 256))) with { TlsCertificateFile = pem }, CancellationToken.None);
        var runner = new ProcessRunner();
        var ca = _h.Layout.TlsCertificateFile;

        var byAddress = await runner.RunAsync(new ProcessSpec("curl", "-sS", "--max-time", "10", "--cacert", ca, $"https://127.0.0.1:{_h.Port}/v2/models/m"), CancellationToken.None);
        var byName = await runner.RunAsync(new ProcessSpec("curl", "-sS", "--max-time", "10", "--cacert", ca, $"https://localhost:{_h.Port}/v2/models/m"), CancellationToken.None);
        var untrusted = await runner.RunAsync(new ProcessSpec("curl", "-sS", "--max-time", "10", $"https://127.0.0.1:{_h.Port}/v2/models/m"), CancellationToken.None);
        var plain = await runner.RunAsync(new ProcessSpec("curl", "-sS", "--max-time", "10", $"http://127.0.0.1:{_h.Port}/v2/models/m"), CancellationToken.None);
        var grpcPlain = await runner.RunAsync(new ProcessSpec("curl", "-sS", "--max-time", "10", "--http2-prior-knowledge", "-d", "", $"http://127.0.0.1:{_grpcPort}/test.Echo/Name"), CancellationToken.None);
        using var grpc = new GrpcClient(new Uri($"https://127.0.0.1:{_grpcPort}"), Trusting(ca));
        var grpcAnswer = await grpc.CallAsync("/test.Echo/Name");

        // The runner ends what it collected with a newline.
        Assert.Equal((0, "blue m"), (byAddress.ExitCode, byAddress.StandardOutput.TrimEnd('\n')));
        Assert.Equal((0, "blue m"), (byName.ExitCode, byName.StandardOutput.TrimEnd('\n')));
        Assert.Equal(60, untrusted.ExitCode); // peer certificate cannot be authenticated with known CA certificates
        Assert.NotEqual(0, plain.ExitCode);
        Assert.DoesNotContain("blue", plain.StandardOutput);
        Assert.NotEqual(0, grpcPlain.ExitCode);
        Assert.Equal((0, "blue"), (grpcAnswer.GrpcStatus, grpcAnswer.Message));
        Assert.Equal(1, _h.Blue.GrpcRequests);
        Assert.Equal(2, _h.Blue.Requests);
    }

    /// <summary>A handler that trusts exactly the edge's certificate, offering h2 by ALPN.</summary>
    private static SocketsHttpHandler Trusting(string certificateFile)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
        var hash = certificate.GetCertHashString();
        return new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == hash },
        };
    }
}
