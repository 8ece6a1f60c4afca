namespace Pipeline.Docker;

/// <summary>What kind of line a build reported.</summary>
public enum BuildProgressKind
{
    /// <summary>Build output: "Step 3/7 : COPY ...", what a RUN printed, " ---> 1a2b3c".</summary>
    Output,

    /// <summary>A pull status while fetching a FROM image ("a1b2: Downloading ...").</summary>
    Status,

    /// <summary>The built image's ID ("sha256:..."), reported once at the end.</summary>
    ImageId,

    /// <summary>The engine's error; the build throws <see cref="DockerBuildException"/> right after.</summary>
    Error,
}

/// <summary>One line of build progress, as it arrives.</summary>
public sealed record BuildProgress(BuildProgressKind Kind, string Text);
