using System.Net;
using System.Net.Sockets;

namespace Pipeline.Prerequisites.Tests;

/// <summary>The real Debian docker-registry, started by the prerequisite on a free loopback port in a temp directory.</summary>
public sealed class LocalImageRegistryTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<int> _started = [];
    private readonly ProcessRunner _runner = new();

    public void Dispose()
    {
        foreach (var pid in _started)
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        _directory.Dispose();
    }

    private LocalImageRegistry Registry(LocalImageRegistryOptions options, RegistryLogin credentials) =>
        new(new AptPackageInstaller(_runner), HostSystem.Detect(), new DetachedDaemonLauncher(_runner), _runner, options, credentials);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Starts_with_authentication_then_finds_it_running_and_refuses_other_credentials()
    {
        Assert.True(ExecutableSearch.Find("docker-registry", Environment.GetEnvironmentVariable) is not null,
            "docker-registry is not installed: run ./build.sh Setup (or apt-get install docker-registry apache2-utils)");
        var options = new LocalImageRegistryOptions(_directory.Subdirectory("registry"), FreePort());
        var credentials = RegistryLogin.LoadOrCreate(options.Directory, "ci", password: null);

        var first = await Registry(options, credentials).EnsureAsync(CancellationToken.None);
        _started.Add(int.Parse(first.Detail("pid")!));
        Assert.Equal(PrerequisiteStatus.Started, first.Status);

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"http://{options.Address}/v2/")).StatusCode);
        Assert.DoesNotContain(credentials.Password, File.ReadAllText(options.HtpasswdFile));
        Assert.DoesNotContain(credentials.Password, File.ReadAllText(options.ConfigFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(options.Directory, RegistryLogin.PasswordFileName)));

        var second = await Registry(options, RegistryLogin.LoadOrCreate(options.Directory, "ci", null)).EnsureAsync(CancellationToken.None);
        Assert.Equal(PrerequisiteStatus.AlreadyPresent, second.Status);

        var wrong = await Assert.ThrowsAsync<PrerequisiteException>(() =>
            Registry(options, new RegistryLogin("ci", "not-the-password")).EnsureAsync(CancellationToken.None));
        Assert.Contains("rejects the login", wrong.Message);
        Assert.DoesNotContain("not-the-password", wrong.Message);
    }

    [Fact]
    public void Credentials_never_print_the_password_and_a_given_password_wins_over_the_file()
    {
        var generated = RegistryLogin.LoadOrCreate(_directory.Path, "u", null);
        Assert.Equal(generated, RegistryLogin.LoadOrCreate(_directory.Path, "u", null));
        Assert.Equal("u:*****", generated.ToString());
        Assert.Equal("given", RegistryLogin.LoadOrCreate(_directory.Path, "u", "given").Password);
    }
}
