namespace Pipeline.ReverseProxy;

/// <summary>
/// Where one nginx instance keeps everything, all under one state directory: its prefix, config, pid file, logs and
/// temporary files. Nothing under /etc/nginx or /var/log/nginx is read or written.
/// </summary>
public sealed record NginxLayout(string StateDirectory)
{
    public string ConfigFile => Path.Combine(StateDirectory, "nginx.conf");
    public string CandidateConfigFile => Path.Combine(StateDirectory, "nginx.conf.candidate");
    public string PidFile => Path.Combine(StateDirectory, "nginx.pid");
    public string LogDirectory => Path.Combine(StateDirectory, "logs");
    public string ErrorLog => Path.Combine(LogDirectory, "error.log");
    public string AccessLog => Path.Combine(LogDirectory, "access.log");
    public string TempDirectory => Path.Combine(StateDirectory, "temp");

    public void Create()
    {
        Directory.CreateDirectory(StateDirectory);
        Directory.CreateDirectory(LogDirectory);
        Directory.CreateDirectory(TempDirectory);
    }
}
