// Prometheus runs here as a detached daemon found through /proc and its pid file; targets come from the local Docker socket.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
