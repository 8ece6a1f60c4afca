namespace Pipeline.Docker;

/// <summary>A directory on disk, sent as a tar that honours its .dockerignore.</summary>
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
