using Pipeline.Kubernetes.Configuration;

namespace Pipeline.Kubernetes.Tests;

/// <summary>
/// The fake API server over HTTPS with a certificate the cluster CA signed for another name than the address the
/// kubeconfig gives: refused (as kubectl refuses it) unless the cluster's tls-server-name is the certificate's name.
/// </summary>
public sealed class ServerNameTests : IAsyncLifetime
{
    private const string CertificateName = "api.other-cluster.example";
    private readonly TestCertificates certificates = new(serverDnsName: CertificateName);
    private readonly TemporaryDirectory directory = new();
    private FakeApiServer server = null!;

    public async Task InitializeAsync() =>
        server = await FakeApiServer.StartAsync(TimeSpan.FromMilliseconds(50), certificate: certificates.ServerWithKey());

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        directory.Dispose();
        certificates.Dispose();
    }

    /// <summary>A kubeconfig for the server with the test CA as certificate-authority-data.</summary>
    private async Task<string> KubeconfigAsync(string? tlsServerName = null, bool insecure = false)
    {
        var path = directory.File($"kubeconfig-{tlsServerName ?? "none"}-{insecure}");
        var trust = insecure
            ? "insecure-skip-tls-verify: true"
            : $"certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(certificates.AuthorityPem))}";
        await File.WriteAllTextAsync(path, server.Kubeconfig("default", [trust, .. tlsServerName is null ? Array.Empty<string>() : ["tls-server-name: " + tlsServerName]]));
        return path;
    }

    private async Task<JsonObject?> GetNamespaceAsync(string kubeconfig)
    {
        var connection = await new KubernetesConfigurationLoader(_ => null, directory.File("home")).LoadAsync(new KubeconfigOptions(kubeconfig), CancellationToken.None);
        using var client = new KubernetesApiClient(connection);
        return await client.GetAsync(ResourceType.Namespaces, null, "default", CancellationToken.None);
    }

    [Fact]
    public async Task ACertificateTheClusterCaSignedForAnotherNameIsRefusedSayingHowToFixIt()
    {
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(async () => await GetNamespaceAsync(await KubeconfigAsync()));

        Assert.Contains("does not match 127.0.0.1", refused.Message);
        Assert.Contains(CertificateName, refused.Message);
        Assert.Contains("tls-server-name", refused.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task TlsServerNameSetToTheCertificatesNameConnects()
    {
        var found = await GetNamespaceAsync(await KubeconfigAsync(tlsServerName: CertificateName));

        Assert.Equal("default", found!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWrongTlsServerNameIsRefused()
    {
        var refused = await Assert.ThrowsAsync<KubernetesApiException>(async () => await GetNamespaceAsync(await KubeconfigAsync(tlsServerName: "kubernetes.default.svc")));

        Assert.Contains("does not match kubernetes.default.svc", refused.Message);
    }

    [Fact]
    public async Task SkippingVerificationStillAcceptsIt()
    {
        var found = await GetNamespaceAsync(await KubeconfigAsync(insecure: true));

        Assert.NotNull(found);
    }

    [Fact]
    public async Task KubectlDecidesTheSame()
    {
        Directory.CreateDirectory(directory.File("home"));
        var refused = await new Kubectl(await KubeconfigAsync(), directory.File("home")).RunAsync("get", "namespace", "default", "-o", "name");
        var named = await new Kubectl(await KubeconfigAsync(tlsServerName: CertificateName), directory.File("home")).RunAsync("get", "namespace", "default", "-o", "name");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("x509", refused.StandardError);
        Assert.Equal((0, "namespace/default"), (named.ExitCode, named.StandardOutput.Trim()));
    }
}
