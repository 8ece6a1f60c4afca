using Pipeline.Docker;
using Pipeline.Processes;

namespace Pipeline.Stages;

/// <summary>
/// The base image for the serving container: the official .NET runtime-deps image when the engine has it or can pull
/// it (CI runners can), otherwise a minimal Debian bookworm made here with mmdebstrap from the machine's own package
/// sources and imported into Docker once (later runs reuse it by tag), so this works offline too.
/// </summary>
public sealed class DebianBaseImage(DockerClient docker, IProcessRunner runner, Action<string> log)
{
    public const string OfficialImage = "mcr.microsoft.com/dotnet/runtime-deps:10.0-bookworm-slim";
    public const string LocalRepository = "mlops/debian-base";
    public const string LocalTag = "bookworm-minbase";

    // What the trimmed self-contained server and ONNX Runtime need beyond minbase (libc, libstdc++, libgcc).
    private static readonly string[] Packages = ["ca-certificates", "zlib1g"];

    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await ExistsAsync(OfficialImage, cancellationToken))
        {
            log($"base image: {OfficialImage}");
            return OfficialImage;
        }

        var local = $"{LocalRepository}:{LocalTag}";
        if (!await ExistsAsync(local, cancellationToken) && await TryPullOfficialAsync(cancellationToken))
        {
            log($"base image: {OfficialImage} (pulled)");
            return OfficialImage;
        }

        if (await ExistsAsync(local, cancellationToken))
        {
            log($"base image: {local} ({OfficialImage} is not available here)");
            return local;
        }

        log($"{OfficialImage} is not available and cannot be pulled: building {local} with mmdebstrap (about a minute)");
        var tar = Path.Combine(Path.GetTempPath(), $"mlops-base-{Guid.NewGuid():N}.tar");
        try
        {
            var bootstrap = await runner.RunAsync(new ProcessSpec("mmdebstrap",
                "--variant=minbase", "--include=" + string.Join(',', Packages),
                "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/doc/*",
                "--dpkgopt=path-exclude=/usr/share/locale/*", "--dpkgopt=path-exclude=/usr/share/info/*",
                "bookworm", tar), cancellationToken);
            if (!bootstrap.Succeeded)
                throw new InvalidOperationException(
                    $"mmdebstrap failed (exit code {bootstrap.ExitCode}): {bootstrap.ErrorTail()}. Run ./build.sh Setup (installs mmdebstrap) " +
                    $"or make {OfficialImage} available to the engine (docker load).");
            await using var stream = File.OpenRead(tar);
            var id = await docker.ImportImageAsync(stream, LocalRepository, LocalTag, ["ENV LANG=C.UTF-8"], cancellationToken);
            log($"imported {local} ({id[..Math.Min(19, id.Length)]})");
            return local;
        }
        finally
        {
            File.Delete(tar);
        }
    }

    // Offline, the engine fails the name lookup at once; the pull is only worth trying when it can succeed quickly.
    private async Task<bool> TryPullOfficialAsync(CancellationToken cancellationToken)
    {
        var separator = OfficialImage.LastIndexOf(':');
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await docker.PullImageAsync(OfficialImage[..separator], OfficialImage[(separator + 1)..], null, null, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is DockerException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            log($"cannot pull {OfficialImage}: {e.Message.Split('\n')[0]}");
            return false;
        }
    }

    private async Task<bool> ExistsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            await docker.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
