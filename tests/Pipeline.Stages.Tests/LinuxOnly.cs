// The stages drive dockerd and Linux containers.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
