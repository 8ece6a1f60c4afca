using k8s;
using k8s.Authentication;
using Pipeline.Kubernetes.Configuration;

namespace Pipeline.Kubernetes.Tests;

public sealed class KubeconfigTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();
    private readonly Dictionary<string, string> environment = new();

    public void Dispose() => directory.Dispose();

    private KubernetesConfigurationLoader Loader(string? serviceAccount = null) =>
        new(name => environment.GetValueOrDefault(name), directory.File("home"), serviceAccount ?? directory.File("no-service-account"));

    /// <summary>The bearer token KubernetesClient would put on the next request made with this connection.</summary>
    private static async Task<string?> TokenAsync(KubernetesConnection connection)
    {
        using var request = new HttpRequestMessage();
        if (k8s.Kubernetes.CreateCredentials(connection.Configuration) is { } credentials) await credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
        return request.Headers.Authorization?.Parameter;
    }

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private string Write(string relativePath, string content)
    {
        var path = directory.File(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Config(string? currentContext, string clusters, string users, string contexts) =>
        (currentContext is null ? "" : $"current-context: {currentContext}\n") + $"apiVersion: v1\nkind: Config\nclusters:\n{clusters}users:\n{users}contexts:\n{contexts}";

    private static string Cluster(string name, string server, string extra = "") => $"- name: {name}\n  cluster:\n    server: {server}\n{extra}";

    private static string User(string name, string body) => $"- name: {name}\n  user:\n{body}";

    private static string Context(string name, string cluster, string user, string? ns = null) =>
        $"- name: {name}\n  context:\n    cluster: {cluster}\n    user: {user}\n" + (ns is null ? "" : $"    namespace: {ns}\n");

    [Fact]
    public async Task SeveralFilesMergeWithTheFirstSettingWinning()
    {
        var first = Write("a/config", Config("alpha",
            Cluster("shared", "https://first.example:6443"),
            User("alice", "    token: token-from-first\n"),
            Context("alpha", "shared", "alice", "team-a")));
        var second = Write("b/config", Config("beta",
            Cluster("shared", "https://second.example:6443") + Cluster("only-second", "https://third.example:6443"),
            User("alice", "    token: token-from-second\n") + User("bob", "    token: bob-token\n"),
            Context("beta", "shared", "bob") + Context("gamma", "only-second", "alice")));
        environment["KUBECONFIG"] = string.Join(':', directory.File("missing/config"), first, second);

        var current = await Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None);
        var beta = await Loader().LoadAsync(new KubeconfigOptions(Context: "beta"), CancellationToken.None);
        var gamma = await Loader().LoadAsync(new KubeconfigOptions(Context: "gamma", Namespace: "override"), CancellationToken.None);

        Assert.Equal(("https://first.example:6443/", "team-a"), (current.Server.ToString(), current.Namespace));
        Assert.Equal("token-from-first", await TokenAsync(current));
        // beta is defined only in the second file, but the cluster name "shared" was set first by the first file.
        Assert.Equal(("https://first.example:6443/", "default"), (beta.Server.ToString(), beta.Namespace));
        Assert.Equal("bob-token", await TokenAsync(beta));
        Assert.Equal(("https://third.example:6443/", "override"), (gamma.Server.ToString(), gamma.Namespace));
        Assert.Equal("token-from-first", await TokenAsync(gamma));
        Assert.Contains(first, current.Source);
    }

    [Fact]
    public async Task AMissingContextNamesTheFilesAndTheChoices()
    {
        var path = Write("config", Config("prod", Cluster("c", "https://c.example"), User("u", "    token: secret-token-value\n"),
            Context("dev", "c", "u") + Context("staging", "c", "u")));
        environment["KUBECONFIG"] = path;

        var missingCurrent = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None));
        var missingNamed = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(Context: "qa"), CancellationToken.None));

        Assert.Contains("The context 'prod' is not in " + path, missingCurrent.Message);
        Assert.Contains("Available contexts: dev, staging", missingCurrent.Message);
        Assert.Contains("The context 'qa'", missingNamed.Message);
        Assert.DoesNotContain("secret-token-value", missingCurrent.Message + missingNamed.Message);
    }

    [Fact]
    public async Task UndefinedClusterOrUserAndNoCurrentContextAreExplained()
    {
        environment["KUBECONFIG"] = Write("config", Config(null, Cluster("c", "https://c.example"), User("u", "    token: t\n"),
            Context("to-nowhere", "absent", "u") + Context("nobody", "c", "ghost")));

        var noContext = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None));
        var noCluster = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(Context: "to-nowhere"), CancellationToken.None));
        var noUser = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(Context: "nobody"), CancellationToken.None));

        Assert.Contains("current-context is not set", noContext.Message);
        Assert.Contains("nobody, to-nowhere", noContext.Message);
        Assert.Contains("the cluster 'absent', which is not in", noCluster.Message);
        Assert.Contains("Available clusters: c", noCluster.Message);
        Assert.Contains("the user 'ghost'", noUser.Message);
    }

    [Fact]
    public async Task RelativePathsResolveAgainstTheKubeconfigsDirectory()
    {
        using var certificates = new TestCertificates();
        Write("cluster/secrets/token", "token-from-file\n");
        Write("cluster/secrets/ca.pem", certificates.AuthorityPem);
        Write("cluster/secrets/client.pem", certificates.ClientPem);
        Write("cluster/secrets/client.key", certificates.ClientKeyPem);
        var path = Write("cluster/config", Config("c",
            Cluster("c", "https://127.0.0.1:6443", "    certificate-authority: secrets/ca.pem\n    tls-server-name: kubernetes.default.svc\n"),
            User("u", "    tokenFile: secrets/token\n    client-certificate: secrets/client.pem\n    client-key: secrets/client.key\n"),
            Context("c", "c", "u")));

        var connection = await Loader().LoadAsync(new KubeconfigOptions(KubeconfigPath: path), CancellationToken.None);

        Assert.Equal(certificates.Authority.Thumbprint, Assert.Single(connection.Configuration.SslCaCerts).Thumbprint);
        Assert.Equal("kubernetes.default.svc", connection.Configuration.TlsServerName);
        Assert.Equal("token-from-file", await TokenAsync(connection));
        Assert.Equal(directory.File("cluster/secrets/client.pem"), connection.Configuration.ClientCertificateFilePath);
        Assert.Equal(directory.File("cluster/secrets/client.key"), connection.Configuration.ClientKeyFilePath);
        Assert.Equal(new Uri("https://127.0.0.1:6443"), new KubernetesApiClient(connection).Server);
        Assert.DoesNotContain("token-from-file", connection.ToString());
        // TokenFileAuth re-reads the file (at most once a minute, as client-go does): a rotated token is picked up.
        Assert.IsType<TokenFileAuth>(connection.Configuration.TokenProvider);
    }

    [Fact]
    public async Task EmbeddedDataIsDecodedAndBadDataIsReportedWithoutTheSecret()
    {
        using var certificates = new TestCertificates();
        environment["KUBECONFIG"] = Write("config", Config("good",
            Cluster("c", "https://c.example", $"    certificate-authority-data: {B64(certificates.AuthorityPem)}\n") + Cluster("insecure", "https://i.example", "    insecure-skip-tls-verify: true\n"),
            User("u", $"    client-certificate-data: {B64(certificates.ClientPem)}\n    client-key-data: {B64(certificates.ClientKeyPem)}\n")
                + User("broken", $"    client-certificate-data: {B64(certificates.ClientPem)}\n    client-key-data: {B64("not a key: hunter2")}\n"),
            Context("good", "c", "u") + Context("bad", "insecure", "broken")));

        var good = await Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None);
        var bad = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(Context: "bad"), CancellationToken.None));

        Assert.Equal(certificates.Authority.Thumbprint, Assert.Single(good.Configuration.SslCaCerts).Thumbprint);
        Assert.False(good.Configuration.SkipTlsVerify);
        Assert.Equal(B64(certificates.ClientPem), good.Configuration.ClientCertificateData);
        Assert.Equal(B64(certificates.ClientKeyPem), good.Configuration.ClientCertificateKeyData);
        Assert.Contains("the user 'broken'", bad.Message);
        Assert.DoesNotContain("hunter2", bad.ToString());
    }

    [Fact]
    public async Task AnExecPluginIsRunWithItsArgumentsAndEnvironmentAndItsTokenRefreshedAfterExpiry()
    {
        // Each run answers with a token numbered by the run and the expiry written in bin/expiry.
        var plugin = Write("bin/credential-plugin", """
            #!/bin/sh
            here="$(dirname "$0")"
            echo run >> "$here/runs"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$here/exec-info"
            printf '%s|%s' "$2" "$3" > "$here/more-args"
            cat <<JSON
            {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"$1-$PLUGIN_REGION-$(wc -l < "$here/runs" | tr -d ' ')","expirationTimestamp":"$(cat "$here/expiry")"}}
            JSON
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Write("bin/expiry", DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        environment["KUBECONFIG"] = Write("config", Config("c", Cluster("c", "https://c.example"),
            User("u", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./bin/credential-plugin\n      args: [cluster-7, 'two words', 'a \"quoted\" \\ one']\n" +
                      "      env:\n      - name: PLUGIN_REGION\n        value: eu-west\n      provideClusterInfo: true\n      interactiveMode: Never\n"),
            Context("c", "c", "u")));

        // KubernetesClient runs the plugin once while building the configuration, and again for the first request.
        var connection = await Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None);
        var first = await TokenAsync(connection);
        var afterExpiry = await TokenAsync(connection);
        Write("bin/expiry", "2099-01-01T00:00:00Z");
        var refreshed = await TokenAsync(connection);
        var cached = await TokenAsync(connection);

        Assert.Equal("cluster-7-eu-west-2", first);
        Assert.Equal("cluster-7-eu-west-3", afterExpiry);
        Assert.Equal(("cluster-7-eu-west-4", "cluster-7-eu-west-4"), (refreshed, cached));
        Assert.Equal(4, File.ReadAllLines(directory.File("bin/runs")).Length);
        Assert.Equal("two words|a \"quoted\" \\ one", File.ReadAllText(directory.File("bin/more-args")));
        Assert.Equal("exec plugin " + directory.File("bin/credential-plugin"), connection.CredentialsDescription);
        var info = JsonNode.Parse(File.ReadAllText(directory.File("bin/exec-info")))!;
        Assert.Equal("client.authentication.k8s.io/v1", info["apiVersion"]!.GetValue<string>());
        Assert.Equal("ExecCredential", info["kind"]!.GetValue<string>());
        Assert.False(info["spec"]!["interactive"]!.GetValue<bool>());
        Assert.Equal("https://c.example", info["spec"]!["cluster"]!["server"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnExecPluginThatNeedsATerminalIsRefusedWithoutBeingRun()
    {
        var plugin = Write("plugin", $"#!/bin/sh\ntouch '{directory.File("ran")}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        environment["KUBECONFIG"] = Write("config", Config("c", Cluster("c", "https://c.example"),
            User("u", $"    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {plugin}\n      interactiveMode: Always\n"), Context("c", "c", "u")));

        var failure = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None));

        Assert.Contains("needs an interactive terminal (interactiveMode: Always)", failure.Message);
        Assert.False(File.Exists(directory.File("ran")));
    }

    [Fact]
    public async Task AnExecPluginCanAnswerWithAClientCertificate()
    {
        using var certificates = new TestCertificates();
        var answer = new JsonObject
        {
            ["apiVersion"] = "client.authentication.k8s.io/v1beta1",
            ["kind"] = "ExecCredential",
            ["status"] = new JsonObject { ["clientCertificateData"] = certificates.ClientPem, ["clientKeyData"] = certificates.ClientKeyPem },
        };
        Write("answer.json", answer.ToJsonString());
        var plugin = Write("plugin", $"#!/bin/sh\ncat '{directory.File("answer.json")}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        environment["KUBECONFIG"] = Write("config", Config("c", Cluster("c", "https://c.example"),
            User("u", $"    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {plugin}\n"), Context("c", "c", "u")));

        var connection = await Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None);

        Assert.Null(await TokenAsync(connection));
        Assert.Equal(B64(certificates.ClientPem), connection.Configuration.ClientCertificateData);
        Assert.Equal(B64(certificates.ClientKeyPem), connection.Configuration.ClientCertificateKeyData);
    }

    [Fact]
    public async Task AFailingExecPluginIsNamedButItsOutputNeverShown()
    {
        var plugin = Write("plugin", "#!/bin/sh\necho leaked-token-123\necho 'login expired, run sso login' >&2\nexit 3\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        environment["KUBECONFIG"] = Write("config", Config("c", Cluster("c", "https://c.example"),
            User("u", $"    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {plugin}\n"), Context("c", "c", "u")));

        // KubernetesClient runs the plugin while loading; it neither reads the exit code nor keeps standard error
        // (which goes to this process's standard error), so the message names the plugin and the user.
        var failure = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None));

        Assert.Contains($"exec plugin '{plugin}' of the user 'u'", failure.Message);
        Assert.DoesNotContain("leaked-token-123", failure.ToString());
    }

    [Fact]
    public async Task InsideAPodTheServiceAccountIsUsed()
    {
        using var certificates = new TestCertificates();
        Write("sa/token", "service-account-token");
        Write("sa/ca.crt", certificates.AuthorityPem);
        Write("sa/namespace", "serving\n");
        environment["KUBERNETES_SERVICE_HOST"] = "10.96.0.1";
        environment["KUBERNETES_SERVICE_PORT"] = "443";

        var connection = await Loader(serviceAccount: directory.File("sa")).LoadAsync(new KubeconfigOptions(), CancellationToken.None);

        Assert.Equal(("https://10.96.0.1/", "serving"), (connection.Server.ToString(), connection.Namespace));
        Assert.Equal(443, connection.Server.Port);
        Assert.Equal("service-account-token", await TokenAsync(connection));
        Assert.Equal(certificates.Authority.Thumbprint, Assert.Single(connection.Configuration.SslCaCerts).Thumbprint);
        Assert.Contains("in-cluster", connection.Source);
    }

    [Fact]
    public async Task AUserWithoutCredentialsMakesAnonymousRequests()
    {
        environment["KUBECONFIG"] = Write("config", Config("c", Cluster("c", "https://c.example"), User("anonymous", "    {}\n"), Context("c", "c", "anonymous")));

        var connection = await Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None);

        Assert.Null(await TokenAsync(connection));
        Assert.Null(connection.Configuration.ClientCertificateData);
        Assert.StartsWith("no credentials (the user 'anonymous'", connection.CredentialsDescription);
    }

    [Fact]
    public async Task AnExplicitKubeconfigMustExistAndWinsOverKubeconfigVariable()
    {
        environment["KUBECONFIG"] = Write("env-config", Config("c", Cluster("c", "https://from-env.example"), User("u", "    token: t\n"), Context("c", "c", "u")));
        var explicitPath = Write("explicit", Config("c", Cluster("c", "https://explicit.example"), User("u", "    token: t\n"), Context("c", "c", "u")));

        var chosen = await Loader().LoadAsync(new KubeconfigOptions(KubeconfigPath: explicitPath), CancellationToken.None);
        var missing = await Assert.ThrowsAsync<KubernetesConfigurationException>(() =>
            Loader().LoadAsync(new KubeconfigOptions(KubeconfigPath: directory.File("nope")), CancellationToken.None));

        Assert.Equal("https://explicit.example/", chosen.Server.ToString());
        Assert.Contains($"The kubeconfig file '{directory.File("nope")}' does not exist", missing.Message);
    }

    [Fact]
    public async Task WithNothingConfiguredTheErrorSaysWhereItLooked()
    {
        var failure = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None));

        Assert.Contains("KUBECONFIG", failure.Message);
        Assert.Contains(Path.Combine(directory.File("home"), ".kube", "config"), failure.Message);
        Assert.Contains("KUBERNETES_SERVICE_HOST", failure.Message);
    }

    [Fact]
    public async Task HomeKubeconfigIsTheDefaultAndBrokenYamlIsReportedByPosition()
    {
        Write("home/.kube/config", Config("c", Cluster("c", "http://127.0.0.1:8001"), User("u", "    token: abc\n"), Context("c", "c", "u")));
        var fromHome = await Loader().LoadAsync(new KubeconfigOptions(), CancellationToken.None);
        var broken = Write("broken", "users:\n- name: u\n  user:\n    token: [unclosed-secret\n");
        var failure = await Assert.ThrowsAsync<KubernetesConfigurationException>(() => Loader().LoadAsync(new KubeconfigOptions(KubeconfigPath: broken), CancellationToken.None));

        Assert.Equal("http://127.0.0.1:8001/", fromHome.Server.ToString());
        Assert.Contains($"'{broken}' is not valid YAML (line", failure.Message);
        Assert.DoesNotContain("unclosed-secret", failure.Message);
    }
}
