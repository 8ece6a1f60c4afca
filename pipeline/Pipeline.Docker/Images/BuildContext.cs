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
