// nginx runs here as a daemon found through /proc and signalled through its pid file.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
