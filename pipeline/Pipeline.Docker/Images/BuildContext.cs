namespace Pipeline.Docker;

/// <summary>
/// The files a build sees: a directory on disk (sent as a tar honouring its .dockerignore) or a tar stream the
/// caller already has. Written straight onto the request, never buffered whole.
/// </summary>
public abstract class BuildContext
{
    private protected BuildContext()
    {
    }

    /// <summary>A directory whose files are sent, minus what its .dockerignore excludes (see <see cref="DockerIgnore"/>).</summary>
    public static BuildContext FromDirectory(string directory) => new DirectoryBuildContext(directory);

    /// <summary>A tar stream holding the context (the Dockerfile included); read once, not disposed.</summary>
    public static BuildContext FromTar(Stream tar) => new TarStreamBuildContext(tar);

    /// <summary>For messages: the directory, or "a tar stream".</summary>
    public abstract string Description { get; }

    /// <summary>Checks what can be checked before anything is sent, with an error naming the fix.</summary>
    internal abstract void Validate(string dockerfile);

    internal abstract Task WriteTarAsync(Stream destination, string dockerfile, CancellationToken cancellationToken);

    public override string ToString() => Description;
}

internal sealed class DirectoryBuildContext : BuildContext
{
    public DirectoryBuildContext(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public override string Description => Directory;

    internal override void Validate(string dockerfile)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new DirectoryNotFoundException($"The build context directory {Directory} does not exist");
        }

        var path = Path.GetFullPath(Path.Combine(Directory, dockerfile));
        if (!path.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The Dockerfile '{dockerfile}' is outside the build context {Directory}: move it into the context", nameof(dockerfile));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Dockerfile '{dockerfile}' is not in the build context {Directory}", path);
        }
    }

    internal override Task WriteTarAsync(Stream destination, string dockerfile, CancellationToken cancellationToken) =>
        BuildContextTar.WriteAsync(Directory, dockerfile, destination, cancellationToken);
}

internal sealed class TarStreamBuildContext(Stream tar) : BuildContext
{
    private readonly Stream tar = tar ?? throw new ArgumentNullException(nameof(tar));

    public override string Description => "a tar stream";

    internal override void Validate(string dockerfile)
    {
        if (!tar.CanRead)
        {
            throw new ArgumentException("The build context tar stream cannot be read (closed or write-only)", nameof(tar));
        }
    }

    internal override Task WriteTarAsync(Stream destination, string dockerfile, CancellationToken cancellationToken) =>
        tar.CopyToAsync(destination, cancellationToken);
}
