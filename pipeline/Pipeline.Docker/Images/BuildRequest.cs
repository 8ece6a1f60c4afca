namespace Pipeline.Docker;

/// <summary>What to build and how (POST /build with the classic builder).</summary>
public sealed record BuildRequest(BuildContext Context)
{
    /// <summary>The Dockerfile's path inside the context, with "/" separators.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    /// <summary>Names for the built image, e.g. "mlops/serving:1.4.0".</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Values for the Dockerfile's ARG lines.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>Labels added to the built image, on top of the Dockerfile's LABEL lines.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Pull newer versions of the FROM images first. Off by default: builds must work offline.</summary>
    public bool Pull { get; init; }

    /// <summary>Run every step again instead of reusing cached layers.</summary>
    public bool NoCache { get; init; }
}
