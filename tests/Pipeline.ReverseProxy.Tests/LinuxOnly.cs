// haproxy runs here as a daemon found through /proc and driven over Unix sockets.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
