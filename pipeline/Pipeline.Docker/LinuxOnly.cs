// The engine is reached over a Unix socket and build contexts carry Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
