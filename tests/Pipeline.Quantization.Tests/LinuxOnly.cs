// The build (and so its tests) drives apt, dockerd and Linux containers.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
