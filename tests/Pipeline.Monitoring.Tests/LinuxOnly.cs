// The tests start prometheus as a detached daemon and containers on the local Docker engine.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
