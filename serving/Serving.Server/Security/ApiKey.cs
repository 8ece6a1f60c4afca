namespace Serving.Server.Security;

/// <summary>One configured API key: its public id and the SHA-256 of its secret (the secret itself is not kept).</summary>
internal sealed record ApiKey(string Id, byte[] SecretSha256);
