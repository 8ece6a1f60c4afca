namespace Pipeline.Engine;

public enum Verbosity
{
    /// <summary>Errors and the summary only.</summary>
    Quiet,

    /// <summary>Target headers and output.</summary>
    Normal,

    /// <summary>Also planning details, parameter sources and stack traces.</summary>
    Verbose,
}
