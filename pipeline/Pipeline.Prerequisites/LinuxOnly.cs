// Everything here is Linux: apt, dpkg, /proc, setsid, dockerd, Unix sockets.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
