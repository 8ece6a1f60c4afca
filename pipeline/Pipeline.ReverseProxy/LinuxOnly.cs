// haproxy runs here as a daemon found through /proc and its pid file, and is driven over Unix sockets.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
