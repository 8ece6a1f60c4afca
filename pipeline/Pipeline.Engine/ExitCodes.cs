namespace Pipeline.Engine;

/// <summary>Process exit codes of a build.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A target failed or was aborted.</summary>
    public const int BuildFailed = 1;

    /// <summary>The build could not start: bad arguments, parameters, definitions or plan.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>Cancelled (Ctrl-C or the caller's token), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
