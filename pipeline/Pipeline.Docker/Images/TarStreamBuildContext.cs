namespace Pipeline.Docker;

/// <summary>A tar stream the caller made, sent as it is.</summary>
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
