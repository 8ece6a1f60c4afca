// The actionlint tests use Pipeline.Prerequisites, which is Linux-only like the pipeline.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
