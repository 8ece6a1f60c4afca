using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using k8s;
using Pipeline.Kubernetes.Configuration;

namespace Pipeline.Kubernetes.Tests;

/// <summary>
/// The KubernetesClient-based client over real TLS, as against a real API server: the cluster CA is the only trust, the client
/// certificate is presented in the handshake, the token in the Authorization header; Status errors become messages.
/// </summary>
public sealed class TlsClientTests : IAsyncLifetime
{
    private readonly TestCertificates certificates = new(intermediate: true);
    private WebApplication app = null!;
    private Uri address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var serverCertificate = certificates.ServerWithKey();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            // The server sends its intermediate CA; the kubeconfig names only the root.
            ServerCertificateChain = [X509CertificateLoader.LoadCertificate(certificates.Intermediate!.RawData)],
            ClientCertificateMode = ClientCertificateMode.AllowCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        app = builder.Build();
        app.Run(async context =>
        {
            var client = await context.Connection.GetClientCertificateAsync();
            var token = context.Request.Headers.Authorization.ToString();
            context.Response.ContentType = "application/json";
            if (client?.Thumbprint != certificates.Client.Thumbprint && token != "Bearer good-token")
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""");
                return;
            }

            if (context.Request.Path.Value!.EndsWith("/silent", StringComparison.Ordinal))
            {
                // A server that takes the request and never answers.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (context.Request.Path.Value!.EndsWith("/forbidden", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"deployments.apps \"forbidden\" is forbidden: User \"pipeline-user\" cannot get resource \"deployments\"","reason":"Forbidden","code":403}""");
                return;
            }

            var who = client is null ? "token" : client.GetNameInfo(X509NameType.SimpleName, false);
            await context.Response.WriteAsync($$$"""{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"{{{who}}}"}}""");
        });
        await app.StartAsync();
        address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        certificates.Dispose();
    }

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A KubernetesClient configuration as the loader builds it from a kubeconfig's cluster and user.</summary>
    private KubernetesConnection Connection(string? token, string? authority, bool insecure = false, bool clientCertificate = false)
    {
        var configuration = new KubernetesClientConfiguration
        {
            Host = address.ToString(),
            AccessToken = token,
            SkipTlsVerify = insecure,
            SslCaCerts = authority is null ? null : X509Certificate2Collection(authority),
            ClientCertificateData = clientCertificate ? B64(certificates.ClientPem) : null,
            ClientCertificateKeyData = clientCertificate ? B64(certificates.ClientKeyPem) : null,
        };
        return new KubernetesConnection(configuration, "default", "test", "test credentials");
    }

    private static X509Certificate2Collection X509Certificate2Collection(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection;
    }

    private static async Task<JsonObject?> GetAsync(KubernetesConnection connection, string name = "web")
    {
        using var client = new KubernetesApiClient(connection);
        return await client.GetAsync(ResourceType.Deployments, "default", name, CancellationToken.None);
    }

    [Fact]
    public async Task TheClusterCaAndAClientCertificateAuthenticate()
    {
        var deployment = await GetAsync(Connection(null, certificates.AuthorityPem, clientCertificate: true));

        Assert.Equal("pipeline-user", deployment!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABearerTokenAuthenticates()
    {
        var deployment = await GetAsync(Connection("good-token", certificates.AuthorityPem));

        Assert.Equal("token", deployment!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AServerNotSignedByTheClusterCaIsRefusedUnlessVerificationIsSkipped()
    {
        using var otherAuthority = new TestCertificates();

        var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => GetAsync(Connection("good-token", otherAuthority.AuthorityPem)));
        var skipped = await GetAsync(Connection("good-token", null, insecure: true));

        Assert.Contains("did not answer", refused.Message);
        Assert.NotNull(skipped);
    }

    [Fact]
    public async Task StatusErrorsBecomeMessagesWithoutTheToken()
    {
        var unauthorized = await Assert.ThrowsAsync<KubernetesApiException>(() => GetAsync(Connection("wrong-token-456", certificates.AuthorityPem)));
        var forbidden = await Assert.ThrowsAsync<KubernetesApiException>(() => GetAsync(Connection("good-token", certificates.AuthorityPem), "forbidden"));

        Assert.Equal((401, "Unauthorized"), (unauthorized.StatusCode, unauthorized.Reason));
        Assert.Contains("Check the kubeconfig user's credentials (test credentials)", unauthorized.Message);
        Assert.DoesNotContain("wrong-token-456", unauthorized.ToString());
        Assert.Equal((403, "Forbidden"), (forbidden.StatusCode, forbidden.Reason));
        Assert.Contains("cannot get resource \"deployments\"", forbidden.Message);
    }

    [Fact]
    public async Task AServerThatNeverAnswersIsGivenUpOnAfterTheConfiguredTimeout()
    {
        var connection = Connection("good-token", certificates.AuthorityPem);
        connection.Configuration.HttpClientTimeout = TimeSpan.FromSeconds(1);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<KubernetesApiException>(() => GetAsync(connection, "silent"));

        Assert.Contains("did not answer (no answer within 1 s)", failure.Message);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AKubeconfigsClusterCaAndExecPluginTokenReachTheServer()
    {
        using var directory = new TemporaryDirectory();
        var plugin = directory.File("plugin");
        await File.WriteAllTextAsync(plugin,
            "#!/bin/sh\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"good-token\"}}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var kubeconfig = directory.File("config");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: c
              cluster:
                server: {address}
                certificate-authority-data: {B64(certificates.AuthorityPem)}
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {plugin}
            contexts:
            - name: c
              context:
                cluster: c
                user: u
            """);

        var connection = await new KubernetesConfigurationLoader(_ => null, directory.File("home")).LoadAsync(new KubeconfigOptions(kubeconfig), CancellationToken.None);
        var deployment = await GetAsync(connection);

        Assert.Equal("token", deployment!["metadata"]!["name"]!.GetValue<string>());
    }
}
