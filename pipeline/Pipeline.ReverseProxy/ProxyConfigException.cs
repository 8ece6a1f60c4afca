namespace Pipeline.ReverseProxy;

/// <summary>The proxy configuration was refused (by the description's own checks or by <c>nginx -t</c>); nothing was changed.</summary>
public sealed class ProxyConfigException(string message, string? nginxOutput) : Exception(message)
{
    /// <summary>What <c>nginx -t</c> printed, when it was nginx that refused.</summary>
    public string? NginxOutput { get; } = nginxOutput;
}

/// <summary>nginx did not start, reload or stop as asked.</summary>
public sealed class ProxyProcessException(string message) : Exception(message);
