namespace Pipeline.Docker;

/// <summary>What the registry stored: the manifest digest to deploy by ("sha256:...") and its size.</summary>
public sealed record PushResult(string Reference, string Digest, long ManifestSize);
