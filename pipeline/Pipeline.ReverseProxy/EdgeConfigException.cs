namespace Pipeline.ReverseProxy;

/// <summary>The edge configuration was refused (by the description's own checks or by <c>haproxy -c</c>); nothing was changed.</summary>
public sealed class EdgeConfigException(string message, string? haproxyOutput) : Exception(message)
{
    /// <summary>What <c>haproxy -c</c> printed, when it was haproxy that refused.</summary>
    public string? HaproxyOutput { get; } = haproxyOutput;
}

/// <summary>haproxy did not start, reload, take a runtime command or stop as asked.</summary>
public sealed class EdgeProcessException(string message) : Exception(message);
