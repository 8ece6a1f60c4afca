// A Docker engine on a Unix socket, busybox, file modes: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
