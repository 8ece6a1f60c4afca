namespace Pipeline.ReverseProxy;

/// <summary>
/// Where one haproxy edge keeps everything, all under one state directory: its config (and the candidate checked
/// before it replaces it), pid file, admin and master sockets, the description it runs, and its JSON error pages.
/// Nothing under /etc/haproxy is read or written.
/// </summary>
public sealed record EdgeLayout(string StateDirectory)
{
    public string ConfigFile => Path.Combine(StateDirectory, "haproxy.cfg");
    public string CandidateConfigFile => Path.Combine(StateDirectory, "haproxy.cfg.candidate");
    public string PidFile => Path.Combine(StateDirectory, "haproxy.pid");

    /// <summary>The runtime API (level admin) of the current worker: servers, weights, addresses, <c>show stat</c>.</summary>
    public string AdminSocket => Path.Combine(StateDirectory, "admin.sock");

    /// <summary>The master's CLI: <c>show proc</c> tells which worker is current after a reload.</summary>
    public string MasterSocket => Path.Combine(StateDirectory, "master.sock");

    /// <summary>The <see cref="EdgeDescription"/> the edge runs, written before every change so a reload renders the same state.</summary>
    public string DescriptionFile => Path.Combine(StateDirectory, "edge.json");

    public string ErrorDirectory => Path.Combine(StateDirectory, "errors");

    public string ErrorFile(int status) => Path.Combine(ErrorDirectory, $"{status}.http");

    /// <summary>The gRPC-shaped page for <paramref name="status"/> (a trailers-only answer), used by the gRPC frontends.</summary>
    public string GrpcErrorFile(int status) => Path.Combine(ErrorDirectory, $"grpc-{status}.http");

    /// <summary>The edge's self-signed certificate and key in one PEM (what haproxy's <c>ssl crt</c> reads), owner-only.</summary>
    public string TlsPemFile => Path.Combine(StateDirectory, "tls", "edge.pem");

    /// <summary>The same certificate alone, for clients to trust (<c>curl --cacert</c>).</summary>
    public string TlsCertificateFile => Path.Combine(StateDirectory, "tls", "edge.crt");

    /// <summary>Every reason haproxy could not use these paths (quoting in its config, the -S option's commas, Unix socket length).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (StateDirectory.Any(c => c is '"' or '\'' or '\\' or '$' or ',' or '#' || char.IsControl(c)))
            problems.Add($"the state directory '{StateDirectory}' holds a character haproxy reads as syntax (\" ' \\ $ , #); choose another directory.");
        // sun_path holds 108 bytes with its terminating zero.
        if (System.Text.Encoding.UTF8.GetByteCount(MasterSocket) > 107)
            problems.Add($"the state directory '{StateDirectory}' is too long for a Unix socket path ({MasterSocket}); choose a shorter one.");
        return problems;
    }

    public void Create()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new EdgeConfigException("The edge state directory is not usable: " + string.Join(" ", problems), null);
        Directory.CreateDirectory(StateDirectory);
        Directory.CreateDirectory(ErrorDirectory);
    }
}
