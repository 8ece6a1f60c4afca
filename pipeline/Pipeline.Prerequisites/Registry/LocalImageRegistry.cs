using Pipeline.IO;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Pipeline.Prerequisites;

/// <summary>Where the local registry keeps its configuration and images, and where it listens (loopback only).</summary>
public sealed record LocalImageRegistryOptions(string Directory, int Port = 5000)
{
    public string Address => $"127.0.0.1:{Port}";
    public string ConfigFile => Path.Combine(Directory, "config.yml");
    public string HtpasswdFile => Path.Combine(Directory, "htpasswd");
    public string LogFile => Path.Combine(Directory, "registry.log");
    public string StorageDirectory => Path.Combine(Directory, "storage");
}

/// <summary>
/// Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1 with htpasswd authentication, started
/// in the background like dockerd. The Docker engine treats 127.0.0.0/8 registries as insecure-allowed, so plain
/// HTTP on loopback needs no engine configuration.
/// </summary>
public sealed class LocalImageRegistry(
    AptPackageInstaller apt,
    HostSystem host,
    DetachedDaemonLauncher launcher,
    IProcessRunner runner,
    LocalImageRegistryOptions options,
    RegistryLogin credentials,
    Action<string>? log = null) : IPrerequisite
{
    public static readonly IReadOnlyList<string> Packages = ["docker-registry", "apache2-utils"];

    public string Name => "Image registry";

    public async Task<PrerequisiteResult> EnsureAsync(CancellationToken cancellationToken)
    {
        var state = await ProbeAsync(cancellationToken);
        if (state == RegistryState.AcceptsCredentials)
            return Result(PrerequisiteStatus.AlreadyPresent, $"answers on {options.Address} and accepts the login");
        if (state == RegistryState.RejectsCredentials)
            throw new PrerequisiteException(Name,
                $"a registry on {options.Address} rejects the login for '{credentials.Username}': it was started with other credentials. " +
                $"Stop it (pkill -f 'docker-registry serve') and rerun Setup, or pass the matching --registry-password");

        if (!host.CanInstallWithApt && ExecutableSearch.Find("docker-registry", Environment.GetEnvironmentVariable) is null)
            throw new PrerequisiteException(Name,
                $"no registry answers on {options.Address} and {host.WhyNotApt}: install it with `{AptPackageInstaller.ManualInstallCommand(Packages)}`");

        var installed = await apt.InstallMissingAsync(Packages, cancellationToken);
        await WriteConfigurationAsync(cancellationToken);
        var pid = await launcher.StartAsync("docker-registry", ["serve", options.ConfigFile], options.LogFile, cancellationToken);
        log?.Invoke($"Started docker-registry (pid {pid}) on {options.Address}, log {options.LogFile}");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await ProbeAsync(cancellationToken) != RegistryState.AcceptsCredentials)
        {
            if (!ProcessLiveness.IsAlive(pid) || DateTime.UtcNow > deadline)
                throw new PrerequisiteException(Name,
                    $"docker-registry (pid {pid}) did not start answering on {options.Address}. Last lines of {options.LogFile}: {LogTail.Read(options.LogFile)}");
            await Task.Delay(200, cancellationToken);
        }

        var result = Result(installed.Count > 0 ? PrerequisiteStatus.Installed : PrerequisiteStatus.Started,
            $"{(installed.Count > 0 ? "installed and started" : "started")} on {options.Address} (log {options.LogFile})");
        return result with { Details = new Dictionary<string, string>(result.Details) { ["pid"] = pid.ToString() } };
    }

    private async Task WriteConfigurationAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.StorageDirectory);
        // htpasswd reads the password from stdin (-i): it never appears on a command line.
        var hash = await runner.RunAsync(new ProcessSpec("htpasswd", "-niB", credentials.Username) { StandardInput = credentials.Password + "\n" }, cancellationToken);
        if (!hash.Succeeded)
            throw new PrerequisiteException(Name, $"htpasswd failed (exit code {hash.ExitCode}): {hash.ErrorTail()}");
        await WriteAtomicallyAsync(options.HtpasswdFile, hash.StandardOutput.Trim() + "\n", cancellationToken);
        await WriteAtomicallyAsync(options.ConfigFile, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {options.StorageDirectory}
              delete:
                enabled: true
            http:
              addr: {options.Address}
            auth:
              htpasswd:
                realm: mlops-pipeline
                path: {options.HtpasswdFile}
            """, cancellationToken);
    }

    private async Task<RegistryState> ProbeAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{options.Address}/v2/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => RegistryState.AcceptsCredentials,
                HttpStatusCode.Unauthorized => RegistryState.RejectsCredentials,
                _ => RegistryState.NotARegistry,
            };
        }
        catch (HttpRequestException)
        {
            return RegistryState.Down;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return RegistryState.Down;
        }
    }

    private static Task WriteAtomicallyAsync(string path, string content, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, content, cancellationToken, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    private PrerequisiteResult Result(PrerequisiteStatus status, string message) =>
        new(Name, status, message, new Dictionary<string, string> { ["address"] = options.Address, ["user"] = credentials.Username });

    private enum RegistryState { Down, NotARegistry, RejectsCredentials, AcceptsCredentials }
}
